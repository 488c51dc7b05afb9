import type { AcceptedInput, ResponseView } from '../model/response';
import type { ResponseRecord } from './response-record';
import type { Saga } from './saga';

/** States in which the ledger holds steps an undo (or a held cancel) left applied. */
const LEFT_IN_PLACE_STATES: readonly string[] = ['rollback_failed', 'cancelled_with_changes'];

/** One response as its modules share it: its record, its saga, and what its input said. */
export class ResponseContext {
  constructor(
    readonly incident: string,
    readonly accepted: AcceptedInput,
    readonly record: ResponseRecord,
    readonly saga: Saga,
  ) {}

  /** The record as `status` shows it, with what the ledger says is still applied (computed, not stored). */
  view(): ResponseView {
    const { view } = this.record;
    return { ...view, leftInPlace: LEFT_IN_PLACE_STATES.includes(view.state) ? this.saga.appliedNames : [] };
  }
}
