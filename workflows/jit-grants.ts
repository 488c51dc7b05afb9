import { isCancellation } from '@temporalio/workflow';
import { durationMs } from '../model/duration';
import type { JitGrant, JitPlan } from '../model/jit';
import type { AppliedStep } from '../model/response';
import type { ResponseContext } from './response-context';
import { failureMessage } from './saga';
import { stepOperations } from './step-activities';

/** Grant windows in whole seconds: providers keep an end to the second, and idra compares what they keep. */
const wholeSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

/**
 * Removes what a grant step wrote, and says whether it is gone: the undo restores the snapshot, and a target
 * someone else changed since is left as found (then the grant may still be in place until its own end).
 */
async function removeGrant(response: ResponseContext, applied: AppliedStep): Promise<boolean> {
  const receipt = await stepOperations.compensate(applied);
  response.record.addReceipt(receipt);
  return JSON.stringify(receipt.after) === JSON.stringify(applied.before);
}

/**
 * Writes an approved grant with its end, through the privilege's grant step (read first, so removing it
 * restores exactly what was there). A grant of a privilege that is already active replaces it: its end is
 * the new grant's (counted from now), and the active grant's snapshot stays the base its removal restores.
 * A write that fails is undone at once (it may have reached the provider before failing): nothing of it is
 * left unaccounted for, and an active grant it was replacing ends with it.
 */
export async function writeGrant(response: ResponseContext, jit: JitPlan, grant: JitGrant): Promise<void> {
  const { record, incident } = response;
  const template = jit.privileges[grant.privilege];
  const now = wholeSecond(Date.now());
  const startedAt = new Date(now).toISOString();
  const endsAt = new Date(now + durationMs(grant.duration)).toISOString();
  const replaced = record.jit.active().find((active) => active.privilege === grant.privilege);
  let written: AppliedStep | undefined;
  try {
    if (!template) throw new Error(`the plan grants no privilege ${grant.privilege}`);
    const step = { ...template, params: { ...template.params, endsAt, grant: grant.id } };
    const before = replaced?.applied?.before ?? (await stepOperations.snapshot({ incident, step }));
    written = { incident, step, before, applied: true };
    // `retried` keeps `before` as the undo's base when replacing (the target holds the earlier grant now).
    const receipt = await stepOperations.apply({ incident, step, before, retried: replaced !== undefined });
    record.addReceipt(receipt);
    if (replaced)
      Object.assign(replaced, {
        state: 'extended',
        endedAt: startedAt,
        endedBecause: `replaced by ${grant.id}`,
        applied: undefined,
        revokeAsked: undefined,
      });
    // A revoke asked of the grant it replaced, while this one was being written, is a revoke of this one.
    Object.assign(grant, { state: 'active', startedAt, endsAt, applied: written, revokeAsked: replaced?.revokeAsked });
  } catch (error) {
    if (isCancellation(error)) throw error;
    Object.assign(grant, { state: 'failed', endedAt: startedAt, endedBecause: failureMessage(error) });
    record.addFailure(`${grant.id} (${grant.privilege}) could not be granted: ${failureMessage(error)}`);
    if (written) await undoFailedWrite(response, written, grant, replaced);
  }
}

async function undoFailedWrite(
  response: ResponseContext,
  written: AppliedStep,
  grant: JitGrant,
  replaced: JitGrant | undefined,
): Promise<void> {
  const { record } = response;
  try {
    if (!(await removeGrant(response, written)))
      record.addFailure(`${grant.id} (${grant.privilege}): its target was changed by someone else; left as found`);
  } catch (error) {
    if (isCancellation(error)) throw error;
    record.addFailure(`${grant.id} (${grant.privilege}) could not be undone: ${failureMessage(error)}`);
  }
  if (replaced)
    Object.assign(replaced, {
      state: 'revoked',
      endedAt: new Date().toISOString(),
      endedBecause: `its replacement ${grant.id} failed, and was undone with it`,
      applied: undefined,
      revokeAsked: undefined,
    });
}

/**
 * Removes an active grant (its end came, or it is revoked) and checks it is gone. A removal that fails after
 * its retries, or finds the grant changed by someone else, is recorded: the provider's own end still stops
 * the grant at `endsAt`.
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
  const leftUntil = `; the provider ends it at ${grant.endsAt ?? '?'}`;
  try {
    if (grant.applied && !(await removeGrant(response, grant.applied)))
      record.addFailure(`${grant.id} (${grant.privilege}) was changed by someone else: left as found${leftUntil}`);
  } catch (error) {
    if (isCancellation(error)) throw error;
    record.addFailure(`${grant.id} (${grant.privilege}) could not be removed: ${failureMessage(error)}${leftUntil}`);
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

/** The path is closing (ended by an analyst, by its timeout, or cancelled): every grant on it is ended. */
export async function endAllGrants(response: ResponseContext, reason: string, by?: string): Promise<void> {
  const { jit } = response.record;
  for (const grant of jit.grants)
    if (grant.state === 'requested' || grant.state === 'approved')
      Object.assign(grant, { state: 'lapsed', endedAt: new Date().toISOString(), endedBecause: reason });
  for (const grant of jit.active()) await endGrant(response, grant, 'revoked', reason, by);
}
