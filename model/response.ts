import type { SpentToken } from './decision';
import type { ResponseKind } from './response-kinds';
import type { ResponseState } from './response-states';
import type { Duration } from './duration';
import type { Identity } from './identity';
import type { JitGrant, JitPlan } from './jit';
import type { IdentityProfile } from './profile';
import type { RecordedSignal } from './signal';
import type { Severity } from './signal-types';

/** One action bound to its target, as the plan orders them. */
export interface PlannedStep {
  index: number;
  action: string;
  provider: string;
  /** The provider's task queue, where only its workers (holding its credentials) run the step. */
  taskQueue: string;
  reversible: boolean;
  /** Human-readable target, e.g. "access key AKIA... of IAM user ci-deployer". */
  target: string;
  params: Record<string, unknown>;
}

export interface Plan {
  kind: ResponseKind;
  playbook: { id: string; version: number };
  profile: IdentityProfile;
  /** Containment: stages in order; the steps of one stage run in parallel. */
  stages: PlannedStep[][];
  /** Run once the response is approved, in order (irreversible actions live only here). */
  afterApproval: PlannedStep[];
  /** What the plan changed from the playbook, and why (e.g. a rotation deferred: no room for another key). */
  notes: string[];
  approval: {
    group: string;
    approvers: string[];
    required: number;
    fourEyes: boolean;
    /** Why the response must be approved before it changes anything (empty: it acts at once). */
    beforeContainment: string[];
  };
  decision: {
    timeout: Duration;
    onTimeout: 'stay_contained' | 'rollback' | 'escalate';
    escalateTo?: string;
    escalationApprovers: string[];
  };
  onFailure: 'hold' | 'rollback';
  /** When the response is cancelled: undo what was applied, or keep it. */
  onCancel: 'rollback' | 'hold';
  /** While contained and awaiting a decision, re-check every applied step this often (absent: never). */
  watch?: Duration;
  /** A step found changed back by someone else: apply it again, or only record it. */
  onTamper: 'reapply' | 'alert';
  ttl?: Duration;
  /** A just_in_time response's path: what may be granted, for how long, approved by how many. */
  jit?: JitPlan;
}

/** What a response workflow is started with. The worker resolves the playbook and inventory. */
export interface ResponseInput {
  signal: RecordedSignal;
  /** Only from the response's own continue-as-new: where it stood, so the new run goes on from there. */
  carried?: CarriedResponse;
}

/** What the responses worker made of a response's input (the workflow itself loads no validation code). */
export interface AcceptedInput {
  signal: RecordedSignal;
  /** The kind of response the signal's type calls for. */
  kind: ResponseKind;
  /** The account (project, tenant, realm) of the identity: search attribute, blast-radius counting. */
  account: string;
  /** Where the identity's provider reads what it says about it (`<provider>.identity.describe`). */
  describe: { taskQueue: string; activity: string };
}

/** How an undo of everything ends: an analyst's rollback, a TTL, or an approval that lifts a restriction. */
export type UndoneState = 'rolled_back' | 'reverted' | 'restored';

/** Where a response that continued as new picks up: the wait it was in, with the deadline it had then. */
export type WaitingPoint =
  | { at: 'approval'; deadline: number }
  | { at: 'approval_escalated' }
  | { at: 'decision'; deadline: number }
  | { at: 'decision_escalated' }
  | { at: 'restricted'; deadline: number }
  | { at: 'restricted_escalated' }
  | { at: 'on_jit'; deadline: number }
  | { at: 'needs_review'; done: UndoneState }
  | { at: 'rollback_failed'; done: UndoneState };

/** A reversible step that may have changed its target: what its undo needs. */
export type AppliedStep = StepInput & { before: unknown };

/** Everything a response hands to its next run: its record, the saga's ledger, and where it waits. */
export interface CarriedResponse {
  view: ResponseView;
  /** Ids and content digests of recent signals, so repeats stay recognised across runs. */
  seenSignals: string[];
  /** Approvals gathered towards the required number in the current round. */
  roundApprovers: string[];
  /** Analyst tokens already used here, until they expire: a replayed token is refused. */
  spentTokens: SpentToken[];
  applied: AppliedStep[];
  waiting: WaitingPoint;
}

/** What every step activity receives: the step, and for apply/verify/compensate its snapshot. */
export interface StepInput {
  incident: string;
  step: PlannedStep;
  before?: unknown;
  /**
   * For compensate: whether the step's apply was confirmed to have changed the target. An undo that finds
   * the target already back at its snapshot after a confirmed change reports that someone else restored it.
   */
  applied?: boolean;
  /** For apply: an earlier attempt, in a batch of steps (api/step-batches.ts), may have written already. */
  retried?: boolean;
}

/** What a re-check of an applied step saw (the `<action>.check` activity). */
export interface StepCheck {
  action: string;
  target: string;
  /** Whether the target is still as the step left it. */
  holds: boolean;
  expected: unknown;
  observed: unknown;
}

/** A contained target someone changed back: recorded with what was seen, and what idra did about it. */
export interface Tampering {
  step: number;
  action: string;
  target: string;
  expected: unknown;
  observed: unknown;
  at: string;
  response: 'reapplied' | 'alerted';
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
  /** Whether the step changed the target (false when it already was in the wanted state). */
  changed: boolean;
  /** Set when a compensation found the target changed by someone else and left it alone. */
  drift?: { expected: unknown; observed: unknown; note: string };
  /** Where the result lives, e.g. the ARN and version of the secret holding a rotated key. */
  reference?: Record<string, unknown>;
  at: string;
  actor: string;
}

export const DECISION_KINDS = ['approve', 'confirm', 'reject', 'rollback', 'cancel'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export interface DecisionRequest {
  analyst: string;
  reason: string;
  /** The analyst's signed token (JWT), verified before the decision counts; never kept in the record. */
  assertion?: string;
}

export interface Decision {
  kind: DecisionKind;
  analyst: string;
  reason: string;
  at: string;
}

export interface DeniedDecision extends Decision {
  problem: string;
}

/** The answer of the blast-radius guard to "may this response contain automatically?". */
export interface Admission {
  admitted: boolean;
  reason: string;
}

/** Everything `idra status` shows: the response's state and every change it made. */
export interface ResponseView {
  incident: string;
  kind: ResponseKind;
  identity: Identity;
  severity: Severity;
  state: ResponseState;
  plan?: Plan;
  /** Why the response waits for approval before acting, if it does. */
  guardedBecause: string[];
  /** The first and the latest distinct signals (repeats by id or content are counted, not kept). */
  signals: RecordedSignal[];
  /** Every detection signal received, repeats included. */
  signalsReceived: number;
  /** Signals recognised as repeats (same id, or same content under another id). */
  signalRepeats: number;
  /** Everyone who raised a signal by hand: under four-eyes none of them may decide. */
  raisedBy: string[];
  changes: Receipt[];
  approvals: Decision[];
  decision?: Decision;
  /** Refused decisions: the first few per analyst are kept, the rest counted. */
  deniedDecisions: DeniedDecision[];
  deniedDecisionsNotKept: number;
  escalatedTo?: string;
  /** Why it was escalated: no decision in time, or an approval rule nobody can meet. */
  escalatedBecause?: string;
  failures: string[];
  /** Why the response cannot go on (planning or the guard keep failing); it retries in the background. */
  blockedBecause?: string;
  /** Contained targets found changed back by someone else while the response waited (the watch). */
  tampering: Tampering[];
  /**
   * Steps still applied after an undo of everything failed (or a cancel held them): computed from the
   * saga's ledger when the view is read; `rollback` retries their undo.
   */
  leftInPlace: string[];
  /** A just_in_time response's grants, every request with what became of it. */
  jitGrants?: JitGrant[];
}
