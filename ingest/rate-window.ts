/**
 * A per-route rate: at most `perSecond` requests in each second, counted in one-second windows. Beyond it the
 * route answers 429 with `Retry-After: 1`, so a flood waits at its sender (EventBridge and SIEMs retry)
 * rather than piling into Temporal.
 */
export function rateWindow(perSecond: number): () => boolean {
  let second = 0;
  let used = 0;
  return () => {
    const now = Math.floor(Date.now() / 1000);
    if (now !== second) {
      second = now;
      used = 0;
    }
    used++;
    return used <= perSecond;
  };
}
