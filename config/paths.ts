import fs from 'node:fs';
import path from 'node:path';

/** The nearest folder up from here with a package.json: the checkout, whether run from sources or from dist/. */
function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The checkout's root; development data lives beside the code in the git-ignored .data/. */
export const PROJECT_ROOT = projectRoot(__dirname);
export const DATA_DIR = path.join(PROJECT_ROOT, '.data');
/** Where the workflow code starts; the bundler resolves its index.ts. */
export const WORKFLOWS_DIR = path.join(PROJECT_ROOT, 'workflows');
