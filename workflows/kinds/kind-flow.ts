import type { Plan, WaitingPoint } from '../../model/response';
import type { ResponseContext } from '../response-context';
import type { ReadAhead } from '../saga';

/**
 * What a kind of response does once it may act (planned and admitted, or approved first): the shared
 * shell (workflows/response.ts) plans, guards and undoes for every kind; a kind says how it changes the
 * identity's access and what its decisions mean. Adding a kind is its module here, its states in
 * model/response-states.ts and its name in model/response-kinds.ts.
 */
export interface KindFlow {
  /** Changes the identity's access as the plan says, then waits as the kind does. */
  act(response: ResponseContext, plan: Plan, readAhead?: Promise<ReadAhead>): Promise<void>;
  /** Goes on from one of the kind's own waits, handed over by a run that continued as new (false: not its wait). */
  resume(response: ResponseContext, plan: Plan, waiting: WaitingPoint): Promise<void> | false;
}
