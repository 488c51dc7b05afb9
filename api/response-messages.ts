import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DecisionKind, DecisionRequest, ResponseView } from '../model/response';
import type { RecordedSignal } from '../model/signal';

/** A detection about the identity; the first one starts the response, later ones join it as evidence. */
export const detectionSignal = defineSignal<[RecordedSignal]>('detection');

/**
 * Decisions come both as signals (the Temporal UI can send them) and as updates (the CLI gets an answer),
 * under the same name; both go through the same validation and are recorded the same way.
 */
export const DECISION_MESSAGES: Record<
  DecisionKind,
  {
    signal: ReturnType<typeof defineSignal<[DecisionRequest]>>;
    update: ReturnType<typeof defineUpdate<ResponseView, [DecisionRequest]>>;
  }
> = {
  approve: {
    signal: defineSignal<[DecisionRequest]>('approve'),
    update: defineUpdate<ResponseView, [DecisionRequest]>('approve'),
  },
  confirm: {
    signal: defineSignal<[DecisionRequest]>('confirm'),
    update: defineUpdate<ResponseView, [DecisionRequest]>('confirm'),
  },
  reject: {
    signal: defineSignal<[DecisionRequest]>('reject'),
    update: defineUpdate<ResponseView, [DecisionRequest]>('reject'),
  },
  rollback: {
    signal: defineSignal<[DecisionRequest]>('rollback'),
    update: defineUpdate<ResponseView, [DecisionRequest]>('rollback'),
  },
  cancel: {
    signal: defineSignal<[DecisionRequest]>('cancel'),
    update: defineUpdate<ResponseView, [DecisionRequest]>('cancel'),
  },
};

export const statusQuery = defineQuery<ResponseView>('status');
