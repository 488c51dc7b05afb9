import { createLocalJWKSet, createRemoteJWKSet } from 'jose';
import fs from 'node:fs';

/** Where an identity provider's public keys are: a JWKS file, or its https URL (fetched and cached by jose). */
export type KeySetSource = { file: string } | { url: URL };

/** A JWKS source as written in configuration: an https URL (keys fetched over plain http could be swapped), else a file path. */
export function keySetSource(text: string): KeySetSource {
  if (/^http:\/\//i.test(text)) throw new Error(`a key set must be fetched over https, not ${text.slice(0, 80)}`);
  return /^https:\/\//i.test(text) ? { url: new URL(text) } : { file: text };
}

/** The key set jose verifies RS256/ES256 signatures with. */
export function keySet(
  source: KeySetSource,
): ReturnType<typeof createLocalJWKSet> | ReturnType<typeof createRemoteJWKSet> {
  if ('url' in source) return createRemoteJWKSet(source.url);
  return createLocalJWKSet(JSON.parse(fs.readFileSync(source.file, 'utf8')) as Parameters<typeof createLocalJWKSet>[0]);
}
