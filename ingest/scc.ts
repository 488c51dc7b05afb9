import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Severity, SignalType } from '../model/signal-types';
import { serviceAccountIdentityOf } from '../providers/gcp/identity';
import { problemsOf } from './route-kit';

/** The parts of a Security Command Center notification idra reads (NotificationMessage; the rest is ignored). */
const sccNotification = z.object({
  finding: z.object({
    name: z.string().min(1).max(1000),
    category: z.string().max(300),
    state: z.string().max(50),
    severity: z.string().max(50).optional(),
    eventTime: z.iso.datetime({ offset: true }),
    resourceName: z.string().max(1000).optional(),
    access: z
      .object({
        principalEmail: z.string().max(300).optional(),
        serviceAccountKeyName: z.string().max(1000).optional(),
        methodName: z.string().max(300).optional(),
        callerIp: z.string().max(100).optional(),
      })
      .optional(),
  }),
});

const SEVERITY: Record<string, Severity> = { LOW: 'low', MEDIUM: 'medium', HIGH: 'high', CRITICAL: 'critical' };

/**
 * An SCC finding as a signal: its principal, a service account (`access.principalEmail`), is the identity —
 * with the key it used when the finding names one (`access.serviceAccountKeyName`), so exactly that key is
 * acted on. Leaked-credential findings are `credential.leaked`; the rest `credential.anomalous_use`. The
 * finding's name, digested, is the signal id: its updates and Pub/Sub's redeliveries are recorded once.
 */
export function signalOfSccNotification(
  notification: unknown,
): { signal: Record<string, unknown> } | { skipped: string } | { problems: string[] } {
  const parsed = sccNotification.safeParse(notification);
  if (!parsed.success) return { problems: problemsOf(parsed.error, 'message.data.') };
  const { finding } = parsed.data;
  if (finding.state !== 'ACTIVE') return { skipped: `an ${finding.state} finding: idra acts on active ones` };
  const email = finding.access?.principalEmail ?? '';
  const identity = serviceAccountIdentityOf(email, finding.access?.serviceAccountKeyName?.split('/').pop());
  if (!identity)
    return {
      skipped: `a finding on ${email ? 'a principal that is no service account of a project' : 'no principal'}: idra acts on service accounts`,
    };
  const type: SignalType = /leaked.?credential/i.test(finding.category)
    ? 'credential.leaked'
    : 'credential.anomalous_use';
  return {
    signal: {
      id: `scc:${createHash('sha256').update(finding.name).digest('hex').slice(0, 40)}`,
      source: 'google-scc',
      type,
      severity: SEVERITY[finding.severity ?? ''] ?? 'medium',
      observedAt: finding.eventTime,
      identity,
      evidence: {
        summary: `${finding.category} (Security Command Center)`,
        details: {
          finding: finding.name.slice(0, 300),
          ...(finding.access?.methodName ? { methodName: finding.access.methodName } : {}),
          ...(finding.access?.callerIp ? { callerIp: finding.access.callerIp } : {}),
        },
      },
    },
  };
}
