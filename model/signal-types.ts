import type { ResponseKind } from './response-kinds';

/**
 * The kinds of risk idra responds to, each with the kind of response it calls for: a detector names what it
 * saw, and the signal's type says which response of the identity it starts or joins (a playbook answering it
 * must be of that kind). Unknown types are refused.
 */
export const SIGNAL_TYPE_KINDS = {
  'credential.leaked': 'contain',
  'credential.anomalous_use': 'contain',
  'session.compromised': 'contain',
  'privilege.anomalous': 'contain',
  /** An AI agent (or the automation identity it acts through) made a tool call off its pattern. */
  'agent.tool_call.anomalous': 'restrict_until_approved',
  /** A third-party integration (an app installation, a deploy key) is tied to suspicious traffic: held until its trust is revalidated. */
  'integration.traffic.suspicious': 'restrict_until_approved',
  /** A privileged automation identity ran commands off its pattern: its standing privilege moves to just-in-time grants. */
  'privilege.anomalous_use': 'just_in_time',
} as const satisfies Record<string, ResponseKind>;

export type SignalType = keyof typeof SIGNAL_TYPE_KINDS;
export const SIGNAL_TYPES = Object.keys(SIGNAL_TYPE_KINDS) as [SignalType, ...SignalType[]];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Severities in rising order, so playbooks can match "at least high". */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}
