import { defineUpdate } from '@temporalio/workflow';
import type { JitDecisionInput, JitGrant, JitRequestInput } from '../model/jit';

/**
 * A just_in_time response's messages, as updates: the caller gets the grant as it stands once the message
 * has played out (approved: written with its end; revoked: removed), or the reason it was refused (the
 * refused update stays in the workflow's history, and the audit shows it as denied).
 */
export const jitRequestUpdate = defineUpdate<JitGrant, [JitRequestInput]>('jitRequest');
export const jitApproveUpdate = defineUpdate<JitGrant, [JitDecisionInput]>('jitApprove');
export const jitDenyUpdate = defineUpdate<JitGrant, [JitDecisionInput]>('jitDeny');
export const jitRevokeUpdate = defineUpdate<JitGrant, [JitDecisionInput]>('jitRevoke');
