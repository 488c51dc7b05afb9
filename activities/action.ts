import type { z } from 'zod';
import type { Provider } from '../model/identity';

/**
 * One containment action, described as a state transition on one target:
 * `read` observes the target's current state, `desired` says what applying the action makes of it,
 * `write` puts the target in a given state. Apply, verify and compensate are derived from these three
 * (see run-action.ts), so every action is idempotent and drift-aware in the same way.
 */
export interface Action<Params, State> {
  name: string;
  provider: Provider;
  summary: string;
  reversible: boolean;
  /** Provider permissions the worker needs for this action, e.g. "iam:UpdateAccessKey". */
  permissions: string[];
  params: z.ZodType<Params>;
  read(params: Params): Promise<State>;
  desired(params: Params, before: State): State;
  write(params: Params, state: State): Promise<void>;
}

/** Actions differ in their params and state; the registry holds them side by side (methods are bivariant). */
export type AnyAction = Action<unknown, unknown>;
