import path from 'node:path';

/** The checkout's root; development data lives beside the code in the git-ignored .data/. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');
export const DATA_DIR = path.join(PROJECT_ROOT, '.data');
/** Where the workflow code starts; the bundler resolves its index.ts. */
export const WORKFLOWS_DIR = path.join(PROJECT_ROOT, 'workflows');
