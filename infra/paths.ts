import path from 'node:path';

/** The checkout's root; tools and data live beside the code in git-ignored folders. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');
export const DATA_DIR = path.join(PROJECT_ROOT, '.data');
export const MOTO_SERVER_BIN = path.join(PROJECT_ROOT, '.venv', 'bin', 'moto_server');
/** Where the workflow code starts; the bundler resolves its index.ts. */
export const WORKFLOWS_DIR = path.join(PROJECT_ROOT, 'workflows');
