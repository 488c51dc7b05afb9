import type { z } from 'zod';
import type { Identity } from '../model/identity';
import type { GithubAlert } from './github/identity';

export interface BindContext {
  incident: string;
  /** The response's notion of "now", for actions that cut off by time. */
  now: string;
  /** The detector's alert the signal came from, if it named one (model/signal.ts). */
  alert?: GithubAlert;
  /** A just_in_time playbook's privileges, by name: what each grants (removing standing privilege takes them all away). */
  privileges?: Record<string, string[]>;
  /** For a grant action: the privilege it grants. */
  privilege?: { name: string; grants: string[] };
  /** The playbook's `with`: options by action name, each checked against its action's `options` when playbooks load. */
  options?: Record<string, Record<string, unknown>>;
}

export interface BoundStep {
  /** Human-readable target, e.g. "access key AKIA... of IAM user ci-deployer". */
  target: string;
  params: Record<string, unknown>;
}

/**
 * What an action is, apart from how it talks to its provider: the part of the action contract that
 * planning, dry runs, `idra actions`, `idra permissions` and the audit need. Pure.
 * The operations (read / desired / write) live in the provider's worker code.
 */
export interface ActionSpec<Params = Record<string, unknown>> {
  name: string;
  provider: string;
  summary: string;
  reversible: boolean;
  /** Provider permissions the worker needs for this action. */
  permissions: string[];
  /** The identity kinds (of its provider) the action can aim at. */
  appliesTo: string[];
  /** What a bound step carries: checked when the step is planned, and the type its operations are written against. */
  params: z.ZodType<Params>;
  /**
   * What a playbook tells the action in its `with` (e.g. the repositories a narrowed installation keeps),
   * checked when playbooks load; an action without it takes none.
   */
  options?: z.ZodType<Record<string, unknown>>;
  /**
   * Aims the action at a signal's identity. Called only for kinds in `appliesTo`. Undefined: the signal gives
   * it nothing to act on (no alert to resolve); the plan leaves the step out and says so.
   */
  bind(identity: Identity, context: BindContext): BoundStep | undefined;
  /** OCSF Account Change activity ids of the change and of its undo (2 Enable, 5 Disable, 6 Delete, 7 Attach Policy, 8 Detach Policy, 99 Other). */
  ocsfActivity?: { apply: number; compensate: number };
  /** Whether it makes a new credential of the identity's kind (counts against the kind's limit) or removes one. */
  credential?: 'adds' | 'removes';
  /**
   * A just-in-time grant: it writes what a privilege grants with a provider-side end (`params.endsAt`), so
   * the grant ends even with every idra worker down; its undo removes it. `grants`: what one entry of a
   * privilege must be (a managed policy ARN, a role), checked when playbooks load.
   */
  timeBoxed?: { grants: z.ZodType<string>; what: string };
}

/**
 * Declares an action: its params' type is inferred from their schema, so its operations (activities/action.ts)
 * are written against the spec itself — `Action<ParamsOf<typeof spec>, State>` — and a field the schema does
 * not have is a compile error, not a run-time surprise.
 */
export function defineAction<Schema extends z.ZodType<Record<string, unknown>>>(
  spec: Omit<ActionSpec, 'params'> & { params: Schema },
): ActionSpec<z.infer<Schema>> & { params: Schema } {
  return spec as ActionSpec<z.infer<Schema>> & { params: Schema };
}

/** The params an action's operations take: those of its spec's schema. */
export type ParamsOf<Spec> = Spec extends ActionSpec<infer Params> ? Params : never;

/** One kind of identity of a provider (an AWS access key, an IAM role, ...). Pure. */
export interface IdentityKind {
  kind: string;
  /** The signal's `identity` for this kind, with `provider` and `kind` as literals: a zod strict object. */
  schema: z.ZodObject;
  /** The stable id of the credential, ids only: the same credential always gets the same key. */
  key(identity: Identity): string;
  /** What the identity is, for people (status output, audit). */
  describe(identity: Identity): string;
  /** The account (project, tenant) it lives in: search attribute, blast-radius counting. */
  account(identity: Identity): string;
  /** The fields an inventory entry's `match` may name to pick this identity, e.g. {account, userName}. */
  inventoryKey(identity: Identity): Record<string, string>;
  /** The principal an OCSF record names for this identity. */
  ocsfUser(identity: Identity): { name: string; uid: string; type: string; data?: Record<string, string> };
  /**
   * The containment the signal alone calls for, when planning cannot finish (inventory or provider
   * unreachable): e.g. a leaked access key is deactivated. Exactly scoped and reversible actions only.
   */
  fallback?: { types: readonly string[]; actions: readonly string[] };
  /** How many credentials of this kind one principal may hold (e.g. 2 access keys per IAM user), so plans can respect it. */
  credentialLimit?: { limit: number; what: string };
}

/** Who holds a leaked credential a detector found, or why idra cannot act on it (told to the sender, who does not retry). */
export type LeakedCredentialOwner<I = Identity> = { identity: I } | { skipped: string };

/**
 * Everything idra knows about a provider that workflows, planning, the CLI and the audit need: its identity
 * kinds, its actions, its inventory entries, its worker's permissions and task queue. Pure, so workflow code
 * can read it. The provider's I/O half is its `worker.ts` (see providers/provider-worker.ts).
 */
export interface ProviderDefinition {
  /** The `identity.provider` of signals, e.g. "aws"; also the provider's worker role. */
  id: string;
  /** For people, e.g. "AWS". */
  name: string;
  kinds: IdentityKind[];
  actions: ActionSpec[];
  /** An inventory entry's `match` for this provider (with `provider` as a literal). */
  inventoryMatch: z.ZodType<Record<string, string>>;
  /** What the worker needs besides its actions' permissions (e.g. reading identity tags). */
  basePermissions: string[];
  /** The least-privilege policy for the worker, in the provider's own format, from the permissions it needs. */
  workerPolicy(permissions: string[]): unknown;
  /** The task queue its actions run on: only its workers hold its credentials. */
  taskQueue: string;
}
