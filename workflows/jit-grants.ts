import { isCancellation } from '@temporalio/workflow';
import { durationMs } from '../model/duration';
import type { JitGrant, JitPlan } from '../model/jit';
import type { ResponseContext } from './response-context';
import { failureMessage } from './saga';
import { stepOperations } from './step-activities';

/**
 * Writes an approved grant with its end, through the privilege's grant step (read first, so removing it
 * restores exactly what was there). A grant of a privilege that is already active extends it: the new end
 * replaces the old one, and the active grant's snapshot stays the base its removal restores.
 */
export async function writeGrant(response: ResponseContext, jit: JitPlan, grant: JitGrant): Promise<void> {
  const { record, incident } = response;
  const template = jit.privileges[grant.privilege];
  const now = Date.now();
  const startedAt = new Date(now).toISOString();
  const endsAt = new Date(now + durationMs(grant.duration)).toISOString();
  const extended = record.jit.active().find((active) => active.privilege === grant.privilege);
  try {
    if (!template) throw new Error(`the plan grants no privilege ${grant.privilege}`);
    const step = { ...template, params: { ...template.params, endsAt, grant: grant.id } };
    const before = extended?.applied?.before ?? (await stepOperations.snapshot({ incident, step }));
    // `retried` keeps `before` as the undo's base when extending (the target holds the earlier grant now).
    const receipt = await stepOperations.apply({ incident, step, before, retried: extended !== undefined });
    record.addReceipt(receipt);
    if (extended)
      Object.assign(extended, {
        state: 'extended',
        endedAt: startedAt,
        endedBecause: `extended by ${grant.id}`,
        applied: undefined,
      });
    Object.assign(grant, {
      state: 'active',
      startedAt,
      endsAt,
      applied: { incident, step, before: extended ? before : receipt.before, applied: true },
    });
  } catch (error) {
    if (isCancellation(error)) throw error;
    Object.assign(grant, { state: 'failed', endedAt: startedAt, endedBecause: failureMessage(error) });
    record.addFailure(`${grant.id} (${grant.privilege}) could not be granted: ${failureMessage(error)}`);
  }
}

/**
 * Removes an active grant (its end came, or it is revoked) and checks it is gone. A removal that fails after
 * its retries is recorded: the provider's own end still stops the grant at `endsAt`.
 */
export async function endGrant(
  response: ResponseContext,
  grant: JitGrant,
  because: 'expired' | 'revoked',
  reason: string,
  by?: string,
): Promise<void> {
  const { record } = response;
  const endedAt = new Date().toISOString();
  try {
    if (grant.applied) record.addReceipt(await stepOperations.compensate(grant.applied));
  } catch (error) {
    if (isCancellation(error)) throw error;
    record.addFailure(
      `${grant.id} (${grant.privilege}) could not be removed: ${failureMessage(error)}; the provider ends it at ${grant.endsAt}`,
    );
  }
  Object.assign(grant, {
    state: because,
    endedAt,
    endedBecause: reason,
    ...(by ? { endedBy: by } : {}),
    applied: undefined,
    revokeAsked: undefined,
  });
}

/** The path is closing (ended by an analyst, by its timeout, or cancelled): no grant outlives it. */
export async function endAllGrants(response: ResponseContext, reason: string, by?: string): Promise<void> {
  const { jit } = response.record;
  for (const grant of jit.grants)
    if (grant.state === 'requested' || grant.state === 'approved')
      Object.assign(grant, { state: 'lapsed', endedAt: new Date().toISOString(), endedBecause: reason });
  for (const grant of jit.active()) await endGrant(response, grant, 'revoked', reason, by);
}
