import type { ActionSpec } from '../providers/provider';

/**
 * How an action talks to its provider, as a state transition on one target:
 * `read` observes the target's current state, `desired` says what applying the action makes of it,
 * `write` puts the target in a given state. Snapshot, apply, check and compensate are derived from these three
 * (see run-action.ts), so every action is idempotent and drift-aware in the same way.
 */
export interface ActionOps<Params, State> {
  /**
   * `known`: the target's state in the step's snapshot, once there is one, for targets a change re-creates
   * under a new id (a deploy key added back): the read finds it by what the snapshot says it is.
   */
  read(params: Params, known?: State): Promise<State>;
  desired(params: Params, before: State): State;
  write(params: Params, state: State): Promise<void>;
  /**
   * What a receipt should point to after apply, for actions whose result lives elsewhere: e.g. the ARN and
   * version of the secret a rotated key went into. References only, never secret values.
   */
  reference?(params: Params): Promise<Record<string, unknown>>;
  /**
   * For targets an undo re-creates under a new id (a deploy key added back): what the re-created target is
   * called now, for the undo's receipt (`reference`), so the audit maps the old id to the new one.
   */
  restoredAs?(params: Params, state: State): Promise<Record<string, unknown>>;
  /**
   * Why undoing would break someone now, if it would: e.g. consumers already use a rotated key. The undo
   * then leaves the target as it is and records the reason as drift, for an analyst to look at.
   */
  undoWouldBreak?(params: Params): Promise<{ observed: unknown; note: string } | undefined>;
  /**
   * For targets the provider stores and writes back as one record (a Keycloak client: every field in one
   * row, its cache invalidated per write): steps whose keys are equal are applied and undone one at a time
   * in this worker, each until its change shows, so two steps on one record never lose each other's change.
   */
  exclusiveKey?(params: Params): string;
}

/** One action of the contract: its pure description (providers/<id>/actions.ts) and its provider operations. */
export interface Action<Params = unknown, State = unknown> extends ActionOps<Params, State> {
  spec: ActionSpec<Params>;
}

/** Actions differ in their params and state; the registry holds them side by side (methods are bivariant). */
export type AnyAction = Action<unknown, unknown>;
