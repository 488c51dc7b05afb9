import { objectProblems, optional, text } from './plain-checks';

/**
 * The fields of a decision request (an analyst's approve, reject, rollback, ...; the guard's pause, resume and
 * limits): checked by workflow handlers before anything counts, with plain code (no validation library in
 * workflow code).
 */
export const DECISION_REQUEST_FIELDS = {
  analyst: text({ max: 200, empty: 'must name the analyst' }),
  reason: text({ max: 2000, empty: 'must say why' }),
  /** The analyst's signed token (JWT); verified before the decision counts. */
  assertion: optional(text({ max: 8192, empty: 'must not be empty', trim: false })),
};

/** What is wrong with a decision request, one problem per field; empty when it is well formed. */
export function decisionRequestProblems(request: unknown): string[] {
  return objectProblems(request, DECISION_REQUEST_FIELDS);
}

/** The verifier's answer on an analyst's assertion: why it is refused, or the token that carried it. */
export type AssertionVerdict = { refused: string } | SpentToken;

/** A token that has decided once, remembered until it expires (after that it is refused as expired anyway). */
export interface SpentToken {
  tokenId: string;
  expiresAt: number;
}

/**
 * Spends a token: refused when it was spent before (a replayed token), else remembered. Returns the tokens
 * still worth remembering at `now`, and the problem, if any.
 */
export function spendToken(
  spent: readonly SpentToken[],
  token: SpentToken,
  now: number,
): { spent: SpentToken[]; problem?: string } {
  const live = spent.filter((known) => known.expiresAt > now);
  if (live.some((known) => known.tokenId === token.tokenId)) {
    return { spent: live, problem: `the assertion was used before (token ${token.tokenId}): each token decides once` };
  }
  return { spent: [...live, { tokenId: token.tokenId, expiresAt: token.expiresAt }] };
}
