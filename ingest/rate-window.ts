/**
 * A rate per key: at most `perSecond` requests of each key in each second, counted in one-second windows
 * (the counts start afresh each second, so memory holds one second's keys at most). Beyond it the caller
 * answers 429 with `Retry-After: 1`, so a flood waits at its sender (EventBridge and SIEMs retry) rather than
 * piling into Temporal.
 */
export function rateWindow(perSecond: number): (key?: string) => boolean {
  let second = 0;
  let used = new Map<string, number>();
  return (key = '') => {
    const now = Math.floor(Date.now() / 1000);
    if (now !== second) {
      second = now;
      used = new Map();
    }
    const count = (used.get(key) ?? 0) + 1;
    used.set(key, count);
    return count <= perSecond;
  };
}
