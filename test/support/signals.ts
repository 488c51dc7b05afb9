import type { SeededUser } from '../../infra/seed-aws';
import { ACCOUNT } from './aws';

/** A leaked-key signal as GitHub secret scanning would report it, for one seeded key. */
export function leakSignal(user: SeededUser, keyIndex = 0, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source: 'github-secret-scanning',
    type: 'credential.leaked',
    severity: 'critical',
    observedAt: '2026-11-26T10:00:00Z',
    identity: { provider: 'aws', kind: 'access_key', account: ACCOUNT, userName: user.userName, accessKeyId: user.accessKeyIds[keyIndex] },
    evidence: { summary: 'AWS access key committed to acme/payments@3f2c1e', url: 'https://github.com/acme/payments/security/secret-scanning/7' },
    ...overrides,
  };
}
