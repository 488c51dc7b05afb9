/** Extra namespaces the test server creates: each gives a test a blast-radius guard (and task queues) of its own. */
export const STORM_NAMESPACE = 'idra-storm';
export const GUARD_NAMESPACE = 'idra-guard-test';
export const GUARD_RESTART_NAMESPACE = 'idra-guard-restart';
export const FAIL_SAFE_NAMESPACE = 'idra-fail-safe';
/**
 * The long-history test's own: responses other files leave open in `default` wake on their timers, and a
 * worker of that file would replay their long histories from scratch beside its own (a run saw ten such
 * replays of 10–25 s each starve its one response until its history passed 17 MB).
 */
export const BOUNDED_HISTORY_NAMESPACE = 'idra-bounded-history';
export const EXTRA_NAMESPACES = [
  STORM_NAMESPACE,
  GUARD_NAMESPACE,
  GUARD_RESTART_NAMESPACE,
  FAIL_SAFE_NAMESPACE,
  BOUNDED_HISTORY_NAMESPACE,
];
