import type { SeededUser } from '../../infra/seed-aws';
import { ACCOUNT } from './aws';

/** A leaked credential as GitHub secret scanning would report it, for any provider's identity. */
export function scannerSignal(
  identity: Record<string, unknown>,
  severity: string,
  evidence: { summary: string; url: string },
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    source: 'github-secret-scanning',
    type: 'credential.leaked',
    severity,
    observedAt: '2026-11-26T10:00:00Z',
    identity,
    evidence,
    ...overrides,
  };
}

/** A leaked-key signal as GitHub secret scanning would report it, for one seeded key. */
export function leakSignal(
  user: SeededUser,
  keyIndex = 0,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return scannerSignal(
    {
      provider: 'aws',
      kind: 'access_key',
      account: ACCOUNT,
      userName: user.userName,
      accessKeyId: user.accessKeyIds[keyIndex],
    },
    'critical',
    {
      summary: 'AWS access key committed to acme/payments@3f2c1e',
      url: 'https://github.com/acme/payments/security/secret-scanning/7',
    },
    overrides,
  );
}

/** An agent gateway's report: an agent acting through an IAM role made a tool call off its pattern. */
export function agentToolCallSignal(
  roleName: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    source: 'agent-gateway',
    type: 'agent.tool_call.anomalous',
    severity: 'high',
    observedAt: '2026-11-26T10:00:00Z',
    identity: { provider: 'aws', kind: 'role', account: ACCOUNT, roleName },
    // The tool and a digest of its arguments, never the arguments themselves.
    evidence: {
      summary: 'agent called s3:DeleteBucket, never seen in its last 30 days',
      details: {
        tool: 'aws.s3.delete_bucket',
        argumentsSha256: 'b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c',
      },
    },
    ...overrides,
  };
}

/** A detector saw a privileged automation role run commands off its pattern (the pattern as evidence). */
export function privilegeAnomalousUseSignal(
  roleName: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    source: 'cloudtrail-baseline',
    type: 'privilege.anomalous_use',
    severity: 'high',
    observedAt: '2026-12-02T06:00:00Z',
    identity: { provider: 'aws', kind: 'role', account: ACCOUNT, roleName },
    evidence: {
      summary: 'deploy role called iam:CreateUser and kms:ScheduleKeyDeletion, never seen in its last 90 days',
      details: { commands: ['iam:CreateUser', 'kms:ScheduleKeyDeletion'], baselineDays: 90 },
    },
    ...overrides,
  };
}
