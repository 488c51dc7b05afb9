import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AdmissionRequest, GuardStatus } from '../model/guard';
import type { Admission, DecisionRequest } from '../model/response';

/** The guard workflow's type name, for callers that start it without importing workflow code. */
export const GUARD_WORKFLOW_TYPE = 'containmentGuard';

export const admitUpdate = defineUpdate<Admission, [AdmissionRequest]>('admit');
export const pauseUpdate = defineUpdate<GuardStatus, [DecisionRequest]>('pause');
export const resumeUpdate = defineUpdate<GuardStatus, [DecisionRequest]>('resume');
export const guardStatusQuery = defineQuery<GuardStatus>('guardStatus');
