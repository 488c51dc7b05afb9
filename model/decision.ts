import { z } from 'zod';

export const decisionRequestSchema = z.strictObject({
  analyst: z.string().trim().min(1, 'must name the analyst').max(200, 'must be at most 200 characters'),
  reason: z.string().trim().min(1, 'must say why').max(2000, 'must be at most 2000 characters'),
  /** The analyst's signed token (JWT); verified before the decision counts. */
  assertion: z.string().max(8192).optional(),
});

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
export function spendToken(spent: readonly SpentToken[], token: SpentToken, now: number): { spent: SpentToken[]; problem?: string } {
  const live = spent.filter((known) => known.expiresAt > now);
  if (live.some((known) => known.tokenId === token.tokenId)) {
    return { spent: live, problem: `the assertion was used before (token ${token.tokenId}): each token decides once` };
  }
  return { spent: [...live, { tokenId: token.tokenId, expiresAt: token.expiresAt }] };
}
