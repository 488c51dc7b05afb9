import { DefaultFailureConverter } from '@temporalio/common';

// Failure messages and stack traces can name targets and evidence: move them into an encoded attribute so
// the payload codec encrypts them like every other payload. Loaded by path (it also runs in the workflow sandbox).
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
