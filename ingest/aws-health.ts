import { z } from 'zod';
import type { Findings, KeyOwnerLookup } from './eventbridge';
import { problemsOf } from './route-kit';

/** The parts of an AWS Health event idra reads: the exposed-credentials notice AWS sends when it finds a key in public. */
const healthEvent = z.object({
  id: z.string().regex(/^[\w-]{1,100}$/, 'must be an EventBridge event id'),
  time: z.iso.datetime({ offset: true }),
  detail: z.object({
    eventArn: z.string().max(1600),
    eventTypeCode: z.string().max(200),
    affectedEntities: z
      .array(z.object({ entityValue: z.string().max(1600) }))
      .max(100)
      .default([]),
    eventDescription: z
      .array(z.object({ latestDescription: z.string() }))
      .max(20)
      .default([]),
  }),
});

/**
 * AWS Health's `AWS_RISK_CREDENTIALS_EXPOSED` (AWS found an access key of yours in public, e.g. on GitHub):
 * each affected key becomes a leaked-key signal of its IAM user (the event names the key only; its user is
 * looked up). Other Health events are acknowledged and skipped.
 */
export async function findingsOfHealthEvent(event: unknown, ownerOfAccessKey: KeyOwnerLookup): Promise<Findings> {
  const parsed = healthEvent.safeParse(event);
  if (!parsed.success) return { problems: problemsOf(parsed.error) };
  const { id, time, detail } = parsed.data;
  if (detail.eventTypeCode !== 'AWS_RISK_CREDENTIALS_EXPOSED')
    return {
      signals: [],
      skipped: [`a ${detail.eventTypeCode} Health event: idra acts on AWS_RISK_CREDENTIALS_EXPOSED`],
    };
  if (!detail.affectedEntities.length)
    return { signals: [], skipped: ['an AWS_RISK_CREDENTIALS_EXPOSED event that names no key'] };
  const summary =
    detail.eventDescription[0]?.latestDescription.slice(0, 500) ?? 'AWS found an access key exposed in public';
  const signals = [];
  const skipped = [];
  for (const { entityValue: keyId } of detail.affectedEntities) {
    const owner = await ownerOfAccessKey(keyId);
    if ('skipped' in owner) skipped.push(owner.skipped);
    else
      signals.push({
        id: `aws-health:${id}:${keyId}`,
        source: 'aws-health',
        type: 'credential.leaked',
        severity: 'critical',
        observedAt: time,
        identity: owner.identity,
        evidence: { summary, details: { eventArn: detail.eventArn, eventTypeCode: detail.eventTypeCode } },
      });
  }
  return { signals, skipped };
}
