'use strict';
// Whether dist/ is a build of exactly these sources (scripts/build.ts writes the digest it was made from).
// The CLI and the worker launcher run dist/ only then, and the TypeScript sources through tsx otherwise: a
// stale build never runs, so a code change is never silently ignored. Plain JavaScript: it runs before tsx.
// `node bin/build-state.js` exits 0 when the build is current, 1 when it must be (re)made.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const DIGEST_FILE = path.join(DIST, '.source-digest');
const BUILD_CONFIG = 'tsconfig.build.json';

/** Every file the build reads: the TypeScript under the build's folders, its configuration, the lock file. */
function sourceFiles(root) {
  const { include } = JSON.parse(fs.readFileSync(path.join(root, BUILD_CONFIG), 'utf8'));
  const sources = include.flatMap((folder) =>
    fs
      .readdirSync(path.join(root, folder), { recursive: true })
      .filter((file) => String(file).endsWith('.ts'))
      .map((file) => path.join(folder, String(file))),
  );
  return ['package-lock.json', 'tsconfig.json', BUILD_CONFIG, ...sources].sort();
}

/** A digest of the sources' names and contents (not times: a fresh clone has new times and the same code). */
function sourceDigest(root = ROOT) {
  const hash = crypto.createHash('sha256');
  for (const file of sourceFiles(root))
    hash
      .update(`${file}\0`)
      .update(fs.readFileSync(path.join(root, file)))
      .update('\0');
  return hash.digest('hex');
}

/** dist/ when it is a build of the current sources, else undefined (`root`: another checkout, in tests). */
function currentBuild(root = ROOT) {
  const dist = path.join(root, 'dist');
  try {
    return fs.readFileSync(path.join(dist, '.source-digest'), 'utf8') === sourceDigest(root) ? dist : undefined;
  } catch {
    return undefined;
  }
}

module.exports = { DIST, DIGEST_FILE, BUILD_CONFIG, sourceDigest, currentBuild };

if (require.main === module) process.exit(currentBuild() ? 0 : 1);
