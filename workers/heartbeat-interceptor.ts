import type { Context } from '@temporalio/activity';
import type { ActivityInterceptors } from '@temporalio/worker';

/**
 * How often a running activity tells the server it is alive. Activities that set a heartbeat timeout
 * (provider steps, describe, admission: workflows/) are then retried soon after their worker dies, while a
 * slow but healthy call keeps heartbeating and is never cut short; the SDK passes them on at most every
 * 0.5 s (maxHeartbeatThrottleInterval), and not at all for activities without a heartbeat timeout.
 */
const HEARTBEAT_EVERY_MS = 300;

/** Heartbeats for as long as each activity runs (no details: nothing of the call reaches the server). */
export function heartbeatWhileRunning(context: Context): ActivityInterceptors {
  return {
    inbound: {
      async execute(input, next) {
        const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
        try {
          return await next(input);
        } finally {
          clearInterval(timer);
        }
      },
    },
  };
}
