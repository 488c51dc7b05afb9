import fs from 'node:fs';
import path from 'node:path';
import { loadResponseConfig, type ResponseConfig } from './load-response-config';

/** What the files look like now (names and modification times), so unchanged files are not parsed again. */
function fingerprint(playbooksDir: string, inventoryFile: string): string {
  const stamp = (file: string) => `${file}@${fs.statSync(file).mtimeMs}`;
  const playbooks = fs
    .readdirSync(playbooksDir)
    .sort()
    .map((name) => stamp(path.join(playbooksDir, name)));
  return [stamp(inventoryFile), ...playbooks].join('|');
}

/**
 * The playbooks and the inventory as they are on disk now: read at each plan, so an edit takes effect
 * without a restart, and re-parsed only when a file changed. Throws (with every problem named) when they
 * cannot be read or are invalid: a response then waits, blocked, rather than planning on a guess.
 */
export function liveResponseConfig(locations: { playbooksDir: string; inventoryFile: string }): () => ResponseConfig {
  let cached: { fingerprint: string; config: ResponseConfig } | undefined;
  return () => {
    const current = fingerprint(locations.playbooksDir, locations.inventoryFile);
    if (cached?.fingerprint !== current) {
      cached = { fingerprint: current, config: loadResponseConfig(locations) };
    }
    return cached.config;
  };
}
