import type { SeededUser } from '../../infra/seed-aws';
import { ACCOUNT } from './aws';

/** A leaked credential as GitHub secret scanning would report it, for any provider's identity. */
export function scannerSignal(identity: Record<string, unknown>, severity: string, evidence: { summary: string; url: string }, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { source: 'github-secret-scanning', type: 'credential.leaked', severity, observedAt: '2026-11-26T10:00:00Z', identity, evidence, ...overrides };
}

/** A leaked-key signal as GitHub secret scanning would report it, for one seeded key. */
export function leakSignal(user: SeededUser, keyIndex = 0, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return scannerSignal(
    { provider: 'aws', kind: 'access_key', account: ACCOUNT, userName: user.userName, accessKeyId: user.accessKeyIds[keyIndex] },
    'critical',
    { summary: 'AWS access key committed to acme/payments@3f2c1e', url: 'https://github.com/acme/payments/security/secret-scanning/7' },
    overrides,
  );
}
