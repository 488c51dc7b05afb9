import {
  ListRoleTagsCommand,
  ListUserTagsCommand,
  TagRoleCommand,
  TagUserCommand,
  UntagRoleCommand,
  UntagUserCommand,
} from '@aws-sdk/client-iam';
import type { Action } from '../../../activities/action';
import type { IamPrincipal } from '../identity';
import { assertAccount, awsCall, type AwsContext } from './aws-context';
import type { ParamsOf } from '../../provider';
import { awsIdentityTag } from '../actions';

/** The values of idra's own tag keys only (null: absent); the principal's other tags are not ours to track. */
type TagState = { tags: Record<string, string | null> };

/** All tags of a user or role. */
export async function listPrincipalTags(
  aws: AwsContext,
  { type, name }: IamPrincipal,
): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  let marker: string | undefined;
  do {
    const page = await awsCall(
      type === 'user'
        ? aws.iam.send(new ListUserTagsCommand({ UserName: name, Marker: marker }))
        : aws.iam.send(new ListRoleTagsCommand({ RoleName: name, Marker: marker })),
      `IAM ${type} ${name}`,
    );
    for (const tag of page.Tags ?? []) if (tag.Key) tags[tag.Key] = tag.Value ?? '';
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return tags;
}

/** Marks the user or role with the incident, so anyone looking at it in AWS sees why it is fenced. */
export function identityTag(aws: AwsContext): Action<ParamsOf<typeof awsIdentityTag>, TagState> {
  return {
    spec: awsIdentityTag,
    read: async ({ account, principal, tags }) => {
      await assertAccount(aws, account);
      const current = await listPrincipalTags(aws, principal);
      return { tags: Object.fromEntries(Object.keys(tags).map((key) => [key, current[key] ?? null])) };
    },
    desired: ({ tags }) => ({ tags }),
    write: async ({ principal }, state) => {
      const what = `IAM ${principal.type} ${principal.name}`;
      const set = Object.entries(state.tags).flatMap(([Key, Value]) => (Value === null ? [] : [{ Key, Value }]));
      const unset = Object.entries(state.tags).flatMap(([key, value]) => (value === null ? [key] : []));
      if (set.length) {
        await awsCall(
          principal.type === 'user'
            ? aws.iam.send(new TagUserCommand({ UserName: principal.name, Tags: set }))
            : aws.iam.send(new TagRoleCommand({ RoleName: principal.name, Tags: set })),
          what,
        );
      }
      if (unset.length) {
        await awsCall(
          principal.type === 'user'
            ? aws.iam.send(new UntagUserCommand({ UserName: principal.name, TagKeys: unset }))
            : aws.iam.send(new UntagRoleCommand({ RoleName: principal.name, TagKeys: unset })),
          what,
        );
      }
    },
  };
}
