import { z } from 'zod';
import { githubAlert } from '../providers/github/identity';
import { identitySchema } from './identity';
import { quoted } from './quoted';
import { SEVERITIES, SIGNAL_TYPES } from './signal-types';

/** Evidence lives in workflow history for the audit; the cap keeps one signal from bloating it. */
export const MAX_EVIDENCE_BYTES = 8 * 1024;

/** An enum's error: says what is missing or which value is unknown, and lists the allowed ones. */
function enumError(what: string, allowed: readonly string[]) {
  return (issue: { input?: unknown }) =>
    issue.input === undefined
      ? `is required (one of: ${allowed.join(', ')})`
      : `unknown ${what} ${quoted(issue.input)} (one of: ${allowed.join(', ')})`;
}

/** How deep evidence details may nest: plenty for a detector's finding, and safe to walk and print. */
export const MAX_DETAILS_DEPTH = 16;

/**
 * Whether a value nests at most `limit` levels of objects and arrays; walked with an explicit stack, so
 * hostile input (10,000 levels) is measured without overflowing the call stack.
 */
function nestsAtMost(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (node === null || typeof node !== 'object') continue;
    if (depth > limit) return false;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return true;
}

const evidenceSchema = z
  .strictObject({
    summary: z.string().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters'),
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    details: z
      .record(z.string(), z.unknown())
      .refine((details) => nestsAtMost(details, MAX_DETAILS_DEPTH), {
        error: `must nest at most ${MAX_DETAILS_DEPTH} levels`,
        abort: true,
      })
      .optional(),
  })
  .refine((evidence) => Buffer.byteLength(JSON.stringify(evidence)) <= MAX_EVIDENCE_BYTES, {
    error: `must serialise to at most ${MAX_EVIDENCE_BYTES} bytes of JSON`,
  });

/** A detection system's report of risk on one identity. */
export const signalSchema = z.strictObject({
  /** The detector's own id for this event; repeats of one id are recorded once. */
  id: z
    .string()
    .regex(/^[\w.:-]{1,128}$/, 'must be 1-128 of letters, digits and ._:-')
    .optional(),
  source: z.string().regex(/^[\w.:/-]{1,100}$/, 'must name the detector (1-100 of letters, digits and ._:/-)'),
  type: z.enum(SIGNAL_TYPES, { error: enumError('signal type', SIGNAL_TYPES) }),
  severity: z.enum(SEVERITIES, { error: enumError('severity', SEVERITIES) }),
  observedAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2026-11-26T10:00:00Z' }),
  identity: identitySchema,
  evidence: evidenceSchema,
  /**
   * The alert the detector raised for this finding (a GitHub secret-scanning alert), so that a response that
   * revokes the credential can close it as revoked.
   */
  alert: githubAlert.optional(),
  /** The person who raised the signal by hand, if any: under four-eyes they cannot approve its response. */
  requestedBy: z.string().trim().min(1).max(200).optional(),
  /** Their token for the incident: the response counts `requestedBy` only once it is verified. */
  requestedByAssertion: z.string().max(8192).optional(),
});
export type Signal = z.infer<typeof signalSchema>;

/** A signal as recorded by a response: always carries an id, so repeats can be recognised. */
export type RecordedSignal = Signal & { id: string };
