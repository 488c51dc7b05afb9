import { Context } from '@temporalio/activity';

/** The running activity's context; undefined when called directly (outside a worker, as the action tests do). */
export function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}
