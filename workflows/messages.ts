import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DecisionRequest, ResponseView } from '../model/response';
import type { RecordedSignal } from '../model/signal';

/** A detection about the identity; the first one starts the response, later ones join it as evidence. */
export const detectionSignal = defineSignal<[RecordedSignal]>('detection');

// Decisions come both as signals (the Temporal UI can send them) and as updates (the CLI gets an answer);
// both go through the same validation and are recorded the same way.
export const approveSignal = defineSignal<[DecisionRequest]>('approve');
export const rollbackSignal = defineSignal<[DecisionRequest]>('rollback');
export const approveUpdate = defineUpdate<ResponseView, [DecisionRequest]>('approve');
export const rollbackUpdate = defineUpdate<ResponseView, [DecisionRequest]>('rollback');

export const statusQuery = defineQuery<ResponseView>('status');
