import { createLocalJWKSet, createRemoteJWKSet } from 'jose';
import fs from 'node:fs';

/** Where an identity provider's public keys are: a JWKS file, or its https URL (fetched and cached by jose). */
export type KeySetSource = { file: string } | { url: URL };

/** A JWKS source as written in configuration: a URL when it looks like one, else a file path. */
export function keySetSource(text: string): KeySetSource {
  return /^https?:\/\//.test(text) ? { url: new URL(text) } : { file: text };
}

/** The key set jose verifies RS256/ES256 signatures with. */
export function keySet(source: KeySetSource): ReturnType<typeof createLocalJWKSet> | ReturnType<typeof createRemoteJWKSet> {
  if ('url' in source) return createRemoteJWKSet(source.url);
  return createLocalJWKSet(JSON.parse(fs.readFileSync(source.file, 'utf8')) as Parameters<typeof createLocalJWKSet>[0]);
}
