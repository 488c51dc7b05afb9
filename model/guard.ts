import { decisionRequestProblems, type SpentToken } from './decision';
import { isPlainObject, objectProblems, text, wholeNumber } from './plain-checks';
import type { Admission, DecisionRequest } from './response';

/** The one guard workflow of a namespace: it counts automatic containments and holds the kill switch. */
export const GUARD_WORKFLOW_ID = 'idra-guard';

export interface GuardLimits {
  /** Automatic containments allowed per account within the window. */
  perAccount: number;
  /** Automatic containments allowed overall within the window. */
  total: number;
  windowMs: number;
}

const WEEK_MS = 7 * 24 * 3_600_000;

/** The limits' fields: the CLI checks them before sending, the guard again before it counts them. */
const GUARD_LIMITS_FIELDS = {
  perAccount: wholeNumber(1, 1_000_000),
  total: wholeNumber(1, 1_000_000),
  windowMs: wholeNumber(1_000, WEEK_MS, { below: 'must be at least 1s', above: 'must be at most 7 days' }),
};

export function guardLimitsProblems(limits: unknown, at = '(root)'): string[] {
  return objectProblems(limits, GUARD_LIMITS_FIELDS, at);
}

/**
 * What a response sends: who asks (`<incident>@<runId>`, so a retried request gets the same answer), for
 * which account. Nothing else: the limits are the guard's own, so a caller cannot widen them (or empty the
 * window) by what it sends.
 */
export interface AdmissionRequest {
  response: string;
  account: string;
}

function admissionRequestProblems(request: unknown, at = '(root)'): string[] {
  return objectProblems(
    request,
    {
      response: text({ max: 1_200, empty: 'must name the response' }),
      account: text({ max: 200, empty: 'must name the account' }),
    },
    at,
  );
}

/** The most requests one update carries: a batch's input and verdicts stay far below a payload's 2 MB. */
export const MAX_ADMISSIONS_PER_BATCH = 500;

/**
 * Admissions asked together (a responses worker queues the requests of its responses while its last batch
 * is with the guard): the guard decides them in order in one handler, so the limits hold exactly, and
 * answers each in the same order.
 */
export interface AdmissionBatch {
  requests: AdmissionRequest[];
}

export function admissionBatchProblems(batch: unknown): string[] {
  const requests = (batch as { requests?: unknown } | undefined)?.requests;
  const problems = objectProblems(batch, {
    requests: (value) => {
      if (value === undefined) return 'is required';
      if (!Array.isArray(value)) return 'must be a list';
      if (value.length === 0) return 'must hold at least one request';
      if (value.length > MAX_ADMISSIONS_PER_BATCH) return `must hold at most ${MAX_ADMISSIONS_PER_BATCH} requests`;
      return undefined;
    },
  });
  if (problems.length || !Array.isArray(requests)) return problems;
  // The first few bad requests name the fault; a batch of 500 bad ones needs no 500 lines.
  return requests.flatMap((request, index) => admissionRequestProblems(request, `requests[${index}]`)).slice(0, 5);
}

/** `idra guard set`: an analyst's decision, verified like any other, that changes the limits. */
export type LimitsChange = DecisionRequest & { limits: GuardLimits };

export function limitsChangeProblems(request: unknown): string[] {
  if (!isPlainObject(request)) return ['(root): must be an object'];
  const { limits, ...decision } = request;
  return [
    ...decisionRequestProblems(decision),
    ...(limits === undefined ? ['limits: is required'] : guardLimitsProblems(limits, 'limits')),
  ];
}

export interface Pause {
  analyst: string;
  reason: string;
  at: string;
}

/** Who set the limits in force: the guard worker's configuration when the guard started, or an analyst. */
export interface LimitsSource {
  by: string;
  reason: string;
  at: string;
}

/**
 * Automatic containments admitted and denied in one account during [from, to): counters instead of one
 * record per admission, so the state (and what continue-as-new carries) stays small in a storm.
 */
export interface Bucket {
  from: number;
  to: number;
  admitted: number;
  denied: number;
}

export interface GuardState {
  pause?: Pause;
  limits: GuardLimits;
  limitsSetBy: LimitsSource;
  buckets: Record<string, Bucket[]>;
  /** Analyst tokens already used on the guard, until they expire. */
  spentTokens?: SpentToken[];
}

/** What a new run is started with: a kill switch, if the last run ended without handing its state over. */
export type GuardStart = Partial<GuardState>;

export interface GuardStatus {
  /** The time the counts are for: when the status was asked, not when the guard last saw a request. */
  asOf: string;
  pause?: Pause;
  limits?: GuardLimits;
  limitsSetBy?: LimitsSource;
  /** Automatic containments admitted within the window, by account. */
  admittedByAccount: Record<string, number>;
  deniedInWindow: number;
}

/** Ten buckets per window: the count is at most a tenth of a window conservative (never lenient). */
function bucketWidthMs(windowMs: number): number {
  return Math.max(1_000, Math.ceil(windowMs / 10));
}

/** A bucket counts while any part of it lies within the window ending now, so a limit is never exceeded. */
function inWindow(bucket: Bucket, now: number, windowMs: number): boolean {
  return bucket.to > now - windowMs;
}

/** The buckets still within the window; the rest are forgotten. */
export function pruned(state: GuardState, now: number): Record<string, Bucket[]> {
  const kept: Record<string, Bucket[]> = {};
  for (const [account, buckets] of Object.entries(state.buckets)) {
    const recent = buckets.filter((bucket) => inWindow(bucket, now, state.limits.windowMs));
    if (recent.length) kept[account] = recent;
  }
  return kept;
}

/** The counts within the window ending at `now`. */
export function guardStatusAt(state: Partial<GuardState>, now: number): GuardStatus {
  const admittedByAccount: Record<string, number> = {};
  let deniedInWindow = 0;
  if (state.limits && state.buckets) {
    for (const [account, buckets] of Object.entries(pruned(state as GuardState, now))) {
      const admitted = buckets.reduce((sum, bucket) => sum + bucket.admitted, 0);
      if (admitted) admittedByAccount[account] = admitted;
      deniedInWindow += buckets.reduce((sum, bucket) => sum + bucket.denied, 0);
    }
  }
  return {
    asOf: new Date(now).toISOString(),
    pause: state.pause,
    limits: state.limits,
    limitsSetBy: state.limitsSetBy,
    admittedByAccount,
    deniedInWindow,
  };
}

/** The guard's verdict on one request at `now`, counted into the state. */
export function admit(state: GuardState, { account }: AdmissionRequest, now: number): Admission {
  const { limits } = state;
  state.buckets = pruned(state, now);
  const { admittedByAccount } = guardStatusAt(state, now);
  const inAccount = admittedByAccount[account] ?? 0;
  const overall = Object.values(admittedByAccount).reduce((sum, count) => sum + count, 0);
  const window = `${Math.round(limits.windowMs / 1000)}s`;
  let verdict: Admission = {
    admitted: true,
    reason: `${inAccount + 1} of ${limits.perAccount} in account ${account}, ${overall + 1} of ${limits.total} overall within ${window}`,
  };
  if (state.pause) {
    verdict = {
      admitted: false,
      reason: `automatic actions are paused since ${state.pause.at} by ${state.pause.analyst}: ${state.pause.reason}`,
    };
  } else if (inAccount >= limits.perAccount) {
    verdict = {
      admitted: false,
      reason: `blast-radius limit: ${inAccount} automatic containments in account ${account} within ${window} (at most ${limits.perAccount})`,
    };
  } else if (overall >= limits.total) {
    verdict = {
      admitted: false,
      reason: `blast-radius limit: ${overall} automatic containments overall within ${window} (at most ${limits.total})`,
    };
  }
  count(state, account, now, verdict.admitted);
  return verdict;
}

function count(state: GuardState, account: string, now: number, admitted: boolean): void {
  const buckets = (state.buckets[account] ??= []);
  let current = buckets.at(-1);
  if (!current || current.to <= now) {
    const width = bucketWidthMs(state.limits.windowMs);
    const from = Math.floor(now / width) * width;
    current = { from, to: from + width, admitted: 0, denied: 0 };
    buckets.push(current);
  }
  if (admitted) current.admitted++;
  else current.denied++;
}
