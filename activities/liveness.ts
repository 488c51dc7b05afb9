import type { Context } from '@temporalio/activity';
import type { ActivityInterceptors } from '@temporalio/worker';

/**
 * How often a running activity tells the server it is alive. Activities that set a heartbeat timeout
 * (provider steps, describe, admission: workflows/) are then retried soon after their worker dies, while a
 * slow but healthy call keeps heartbeating and is never cut short. The SDK passes heartbeats on at most
 * every HEARTBEAT_PASSED_ON_EVERY_MS (the worker's maxHeartbeatThrottleInterval), and not at all for
 * activities without a heartbeat timeout.
 */
const HEARTBEAT_EVERY_MS = 300;
export const HEARTBEAT_PASSED_ON_EVERY_MS = 500;

/** When each running activity last had the chance to heartbeat, and the longest it went without. */
const silences = new WeakMap<Context, { last: number; longest: number }>();

/** Heartbeats for as long as each activity runs (no details: nothing of the call reaches the server). */
export function heartbeatWhileRunning(context: Context): ActivityInterceptors {
  return {
    inbound: {
      async execute(input, next) {
        const silence = { last: Date.now(), longest: 0 };
        silences.set(context, silence);
        const timer = setInterval(() => {
          const now = Date.now();
          silence.longest = Math.max(silence.longest, now - silence.last);
          silence.last = now;
          context.heartbeat();
        }, HEARTBEAT_EVERY_MS);
        try {
          return await next(input);
        } finally {
          clearInterval(timer);
        }
      },
    },
  };
}

/**
 * Whether the server may have given up on this attempt: its worker went silent (stalled: a blocked event
 * loop, a paused process) for long enough that no heartbeat reached the server within its heartbeat
 * timeout, so a retry may be running elsewhere. Known at once, without waiting for the server to say so.
 */
export function maySilentlyHaveBeenGivenUp(context: Context): boolean {
  const timeout = context.info.heartbeatTimeoutMs;
  const silence = silences.get(context);
  if (!timeout || !silence) return false;
  return Math.max(silence.longest, Date.now() - silence.last) + HEARTBEAT_PASSED_ON_EVERY_MS >= timeout;
}
