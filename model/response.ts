import type { Identity, Provider } from './identity';
import type { RecordedSignal, Severity } from './signal';
import type { Playbook } from '../policy/playbook';

/**
 * Where a response stands. `containing` → `awaiting_decision` (or `containment_failed`, which holds
 * what was applied and waits for an analyst) → one of the final states.
 */
export const RESPONSE_STATES = [
  'containing',
  'awaiting_decision',
  'containment_failed',
  'rolling_back',
  'confirmed',
  'rolled_back',
  'timed_out_contained',
] as const;
export type ResponseState = (typeof RESPONSE_STATES)[number];
export const FINAL_STATES: readonly ResponseState[] = ['confirmed', 'rolled_back', 'timed_out_contained'];

/** One action bound to its target, as the plan orders them. */
export interface PlannedStep {
  index: number;
  action: string;
  provider: Provider;
  /** Human-readable target, e.g. "access key AKIA... of IAM user ci-deployer". */
  target: string;
  params: Record<string, unknown>;
}

export interface Plan {
  playbook: { id: string; version: number };
  steps: PlannedStep[];
}

/** What a response workflow is started with. */
export interface ResponseInput {
  signal: RecordedSignal;
  playbook: Playbook;
}

/** What every step activity receives: the step, and for apply/verify/compensate its snapshot. */
export interface StepInput {
  incident: string;
  step: PlannedStep;
  before?: unknown;
}

/** The ledger entry of one change (or deliberate non-change): the audit is built from these. */
export interface Receipt {
  incident: string;
  step: number;
  action: string;
  target: string;
  operation: 'apply' | 'compensate';
  before: unknown;
  after: unknown;
  /** False when the target was already in the wanted state (activities are at-least-once). */
  changed: boolean;
  /** Set when a compensation found the target changed by someone else and left it alone. */
  drift?: { expected: unknown; observed: unknown };
  at: string;
  actor: string;
}

export const DECISION_KINDS = ['approve', 'rollback'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export interface DecisionRequest {
  analyst: string;
  reason: string;
}

export interface Decision extends DecisionRequest {
  kind: DecisionKind;
  at: string;
}

export interface DeniedDecision extends Decision {
  problem: string;
}

/** Everything `idra status` shows: the response's state and every change it made. */
export interface ResponseView {
  incident: string;
  identity: Identity;
  severity: Severity;
  state: ResponseState;
  plan: Plan;
  decisionDeadline?: string;
  signals: RecordedSignal[];
  changes: Receipt[];
  decision?: Decision;
  deniedDecisions: DeniedDecision[];
  failures: string[];
}
