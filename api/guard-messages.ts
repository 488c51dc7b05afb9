import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AdmissionBatch, GuardState, GuardStatus, LimitsChange } from '../model/guard';
import type { Admission, DecisionRequest } from '../model/response';

/** The guard workflow's type name, for callers that start it without importing workflow code. */
export const GUARD_WORKFLOW_TYPE = 'containmentGuard';
/** The guard runs on its own queue (worker role `guard`), so a deployment can place and scale it apart. */
export const GUARD_TASK_QUEUE = 'idra-guard';

/** Verdicts on a batch of admission requests, in the batch's order. */
export const admitUpdate = defineUpdate<Admission[], [AdmissionBatch]>('admit');
export const pauseUpdate = defineUpdate<GuardStatus, [DecisionRequest]>('pause');
export const resumeUpdate = defineUpdate<GuardStatus, [DecisionRequest]>('resume');
/** The guard's state as recorded: callers count it as of their own now (`guardStatusAt`). */
export const guardStatusQuery = defineQuery<Partial<GuardState>>('guardStatus');
export const setLimitsUpdate = defineUpdate<GuardStatus, [LimitsChange]>('setLimits');
