/** Extra namespaces the test server creates: each gives a test a blast-radius guard of its own. */
export const STORM_NAMESPACE = 'idra-storm';
export const GUARD_NAMESPACE = 'idra-guard-test';
export const GUARD_RESTART_NAMESPACE = 'idra-guard-restart';
export const FAIL_SAFE_NAMESPACE = 'idra-fail-safe';
export const EXTRA_NAMESPACES = [STORM_NAMESPACE, GUARD_NAMESPACE, GUARD_RESTART_NAMESPACE, FAIL_SAFE_NAMESPACE];
