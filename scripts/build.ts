/**
 * `npm run build`: compiled JavaScript in dist/ (tsconfig.build.json) and the prebuilt workflow bundle
 * (dist/workflow-bundle.js), stamped with the digest of the sources they were made from. Setup runs it
 * when the sources changed; the CLI and the worker launcher use dist/ only while that digest matches.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BUILD_CONFIG, DIGEST_FILE, DIST, sourceDigest } from '../bin/build-state';
import { PROJECT_ROOT } from '../config/paths';
import { bundleIdraWorkflows } from '../workers/workflow-code';

async function build(): Promise<void> {
  const started = Date.now();
  const digest = sourceDigest();
  // Made beside dist/ and swapped in whole: a CLI or worker starting meanwhile sees the old build or the new.
  const next = `${DIST}.next`;
  fs.rmSync(next, { recursive: true, force: true });
  execFileSync(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsc'), ['-p', BUILD_CONFIG, '--outDir', next], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
  });
  const quiet = () => undefined;
  const bundle = await bundleIdraWorkflows({
    trace: quiet,
    debug: quiet,
    info: quiet,
    log: quiet,
    warn: (message: string) => console.warn(message),
    error: (message: string) => console.error(message),
  });
  fs.writeFileSync(path.join(next, 'workflow-bundle.js'), bundle);
  fs.writeFileSync(path.join(next, path.basename(DIGEST_FILE)), digest);
  fs.rmSync(DIST, { recursive: true, force: true });
  fs.renameSync(next, DIST);
  console.error(`build: dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

build().catch((error: unknown) => {
  console.error(`build: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
