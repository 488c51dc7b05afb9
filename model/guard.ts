import type { Admission } from './response';

/** The one guard workflow of a namespace: it counts automatic containments and holds the kill switch. */
export const GUARD_WORKFLOW_ID = 'idra-guard';

export interface GuardLimits {
  /** Automatic containments allowed per account within the window. */
  perAccount: number;
  /** Automatic containments allowed overall within the window. */
  total: number;
  windowMs: number;
}

export interface AdmissionRequest {
  /** The response asking: incident and run, so a retried request gets the same answer. */
  response: string;
  account: string;
  limits: GuardLimits;
}

export interface AdmissionRecord extends Admission {
  response: string;
  account: string;
  at: number;
}

export interface Pause {
  analyst: string;
  reason: string;
  at: string;
}

export interface GuardState {
  pause?: Pause;
  admissions: AdmissionRecord[];
  /** The window of the latest request, kept so status and pruning work across continue-as-new. */
  windowMs: number;
}

export interface GuardStatus {
  pause?: Pause;
  /** Automatic containments admitted within the last window, by account. */
  admittedByAccount: Record<string, number>;
  deniedInWindow: number;
}
