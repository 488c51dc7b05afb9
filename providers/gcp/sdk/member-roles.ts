import { stepFailure } from '../../../activities/step-failure';
import { memberOf } from '../names';
import { type GcpContext, gcpCall, gcpFailure, gcpStatus } from './gcp-context';

export type MemberParams = { project: string; email: string };
export type Condition = { expression: string; title?: string; description?: string };
/** One role the account holds on the project, with its condition if the binding has one. */
export type Held = { role: string; condition?: Condition };

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

/** Roles in one order, each once: states compare equal whatever order the policy lists them in. */
export function normalise(roles: Held[]): Held[] {
  return [...new Map(roles.map((held) => [key(held), held])).values()].sort((a, b) => key(a).localeCompare(key(b)));
}

/** A project policy write is retried from a fresh read this many times when another writer got there first. */
const ETAG_ATTEMPTS = 5;

/**
 * One service account's bindings on its project, the only part of the project's IAM policy these actions
 * read or write. Read-modify-write of the whole policy (version 3: conditions kept) with its etag; a
 * concurrent change by someone else makes the write fail (ABORTED) and it starts again from a fresh read,
 * so no one else's binding is ever lost.
 */
export class MemberRoles {
  constructor(private readonly gcp: GcpContext) {}

  private async policy({ project }: MemberParams) {
    const [policy] = await gcpCall(
      this.gcp.projects.getIamPolicy({ resource: `projects/${project}`, options: { requestedPolicyVersion: 3 } }),
      `IAM policy of project ${project}`,
    );
    return policy;
  }

  /** Every role the account holds on the project. */
  async read(params: MemberParams): Promise<Held[]> {
    const member = memberOf(params.email);
    const bindings = ((await this.policy(params)).bindings ?? []) as ProtoBinding[];
    return normalise(
      bindings
        .filter((binding) => binding.members?.includes(member))
        .map((binding) => {
          const condition = conditionOf(binding);
          return { role: binding.role ?? '', ...(condition ? { condition } : {}) };
        }),
    );
  }

  /** Makes the account's roles that `owns` picks exactly `wanted`; its other roles stay as they are. */
  async write(params: MemberParams, wanted: Held[], owns: (held: Held) => boolean): Promise<void> {
    const member = memberOf(params.email);
    const { project } = params;
    for (let attempt = 1; ; attempt++) {
      const policy = await this.policy(params);
      const bindings = ((policy.bindings ?? []) as ProtoBinding[])
        .map((binding) => {
          const held = { role: binding.role ?? '', condition: conditionOf(binding) };
          const members = binding.members ?? [];
          return { ...held, members: owns(held) ? members.filter((candidate) => candidate !== member) : members };
        })
        .filter((binding) => binding.members.length > 0);
      for (const held of wanted) {
        const binding = bindings.find(
          (candidate) => candidate.role === held.role && sameCondition(candidate.condition, held.condition),
        );
        if (!binding) bindings.push({ role: held.role, members: [member], condition: held.condition });
        else if (!binding.members.includes(member)) binding.members.push(member);
      }
      try {
        await this.gcp.projects.setIamPolicy({
          resource: `projects/${project}`,
          policy: { version: 3, etag: policy.etag, bindings },
        });
        return;
      } catch (error) {
        if (gcpStatus(error) !== 'ABORTED') throw gcpFailure(error, `IAM policy of project ${project}`);
        if (attempt >= ETAG_ATTEMPTS)
          throw stepFailure(
            'ConcurrentChange',
            `the IAM policy of project ${project} kept changing under ${ETAG_ATTEMPTS} attempts`,
          );
      }
    }
  }
}
