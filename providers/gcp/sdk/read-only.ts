import { stepFailure } from '../../../activities/step-failure';
import type { Action } from '../../../activities/action';
import { actionSpec } from '../../catalog';
import { memberOf } from '../names';
import { readOnlyRole } from '../quarantine';
import { type GcpContext, gcpCall, gcpFailure, gcpStatus } from './gcp-context';

type AccountParams = { project: string; email: string };
type Condition = { expression: string; title?: string; description?: string };
/** One role the account holds on the project, with its condition if the binding has one. */
type Held = { role: string; condition?: Condition };
/** This member's bindings only: everyone else's are not ours to track or restore. */
type RoleState = { roles: Held[] };

type ProtoBinding = {
  role?: string | null;
  members?: string[] | null;
  condition?: { expression?: string | null; title?: string | null; description?: string | null } | null;
};

function conditionOf(binding: ProtoBinding): Condition | undefined {
  const { expression, title, description } = binding.condition ?? {};
  if (!expression) return undefined;
  return { expression, ...(title ? { title } : {}), ...(description ? { description } : {}) };
}

const key = (held: Held) => `${held.role}\u0000${held.condition?.expression ?? ''}`;
const sameCondition = (a?: Condition, b?: Condition) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function normalise(roles: Held[]): Held[] {
  return [...new Map(roles.map((held) => [key(held), held])).values()].sort((a, b) => key(a).localeCompare(key(b)));
}

/** A project policy write is retried from a fresh read this many times when another writer got there first. */
const ETAG_ATTEMPTS = 5;

/**
 * Drop write, keep read: replaces the account's roles on the project by their read-only counterparts.
 * Read-modify-write of the whole project policy with its etag; a concurrent change by someone else makes
 * the write fail (ABORTED) and it starts again from a fresh read, so no one else's binding is ever lost.
 */
export function accountReadOnly(gcp: GcpContext): Action<AccountParams, RoleState> {
  const resource = ({ project }: AccountParams) => `projects/${project}`;
  const policyOf = async (params: AccountParams) =>
    (
      await gcpCall(
        gcp.projects.getIamPolicy({ resource: resource(params), options: { requestedPolicyVersion: 3 } }),
        `IAM policy of project ${params.project}`,
      )
    )[0];
  return {
    spec: actionSpec('gcp.serviceAccount.readOnly'),
    read: async (params) => {
      const member = memberOf(params.email);
      const bindings = ((await policyOf(params)).bindings ?? []) as ProtoBinding[];
      return {
        roles: normalise(
          bindings
            .filter((binding) => binding.members?.includes(member))
            .map((binding) => ({
              role: binding.role ?? '',
              ...(conditionOf(binding) ? { condition: conditionOf(binding) } : {}),
            })),
        ),
      };
    },
    desired: (_params, before) => ({
      roles: normalise(
        before.roles.flatMap((held) => {
          const role = readOnlyRole(held.role);
          return role ? [{ ...held, role }] : [];
        }),
      ),
    }),
    write: async (params, state) => {
      const member = memberOf(params.email);
      for (let attempt = 1; ; attempt++) {
        const policy = await policyOf(params);
        const bindings = ((policy.bindings ?? []) as ProtoBinding[])
          .map((binding) => ({
            role: binding.role ?? '',
            members: (binding.members ?? []).filter((candidate) => candidate !== member),
            condition: conditionOf(binding),
          }))
          .filter((binding) => binding.members.length > 0);
        for (const held of state.roles) {
          const binding = bindings.find(
            (candidate) => candidate.role === held.role && sameCondition(candidate.condition, held.condition),
          );
          if (binding) binding.members.push(member);
          else bindings.push({ role: held.role, members: [member], condition: held.condition });
        }
        try {
          await gcp.projects.setIamPolicy({
            resource: resource(params),
            policy: { version: 3, etag: policy.etag, bindings },
          });
          return;
        } catch (error) {
          if (gcpStatus(error) !== 'ABORTED') throw gcpFailure(error, `IAM policy of project ${params.project}`);
          if (attempt >= ETAG_ATTEMPTS)
            throw stepFailure(
              'ConcurrentChange',
              `the IAM policy of project ${params.project} kept changing under ${ETAG_ATTEMPTS} attempts`,
            );
        }
      }
    },
  };
}
