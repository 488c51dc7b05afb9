import type { Admission } from '../model/response';

/**
 * The blast-radius limit that holds when the guard workflow does not answer: each responses worker admits
 * at most `perAccount` automatic containments per account within the window on its own, and the guard
 * does not count them. Conservative by design (a fleet of W workers admits at most W × perAccount); a
 * response it refuses stays blocked and keeps asking the guard.
 */
export function createFallbackAdmission(
  perAccount: number,
  windowMs: number,
): (input: { response: string; account: string }) => Admission {
  const admitted = new Map<string, { response: string; at: number }[]>();
  return ({ response, account }) => {
    const now = Date.now();
    const recent = (admitted.get(account) ?? []).filter((entry) => now - entry.at < windowMs);
    admitted.set(account, recent);
    const window = `${Math.round(windowMs / 1000)}s`;
    if (recent.some((entry) => entry.response === response))
      return { admitted: true, reason: `admitted by this worker's fallback limit (the guard did not answer)` };
    if (recent.length >= perAccount) {
      return {
        admitted: false,
        reason: `the guard did not answer and this worker's fallback limit is reached: ${recent.length} in account ${account} within ${window} (at most ${perAccount})`,
      };
    }
    recent.push({ response, at: now });
    return {
      admitted: true,
      reason: `admitted by this worker's fallback limit (the guard did not answer): ${recent.length} of ${perAccount} in account ${account} within ${window}`,
    };
  };
}
