import { defaultPayloadConverter } from '@temporalio/common';
import { JSONToPayload, payloadToJSON } from '@temporalio/common/lib/proto-utils';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSecretFile } from '../auth/auth-config';
import { mintAnalystToken } from '../auth/mint-token';
import { CODEC_LOGIN_AUDIENCE, CODEC_LOGIN_INCIDENT, createCodecAccess } from '../codec/codec-access';
import { codecAccessFromEnv } from '../codec/codec-access-config';
import { CodecSessions } from '../codec/codec-sessions';
import { createCodecServer } from '../codec/codec-server';
import { codecLoginLink } from '../codec/login-link';
import { EncryptionCodec, KEY_ID_METADATA } from '../codec/encryption-codec';
import type { Keyring } from '../codec/keyring';
import { identityProvider } from './support/identity-provider';

const keyring = (primaryKeyId: string, keys: Record<string, Buffer>): Keyring => ({
  primaryKeyId,
  keys: new Map(Object.entries(keys)),
});
const payload = (value: unknown) => defaultPayloadConverter.toPayload(value);

const october = randomBytes(32);
const november = randomBytes(32);
const value = { evidence: 'AKIA... committed to acme/payments', analyst: 'alice@example.com' };

describe('the payload codec (AES-256-GCM with key ids)', () => {
  it('round-trips a payload, and the ciphertext holds no plaintext', async () => {
    const codec = new EncryptionCodec(keyring('2026-10', { '2026-10': october }));
    const [encoded] = await codec.encode([payload(value)]);
    expect(new TextDecoder().decode(encoded!.metadata![KEY_ID_METADATA])).toBe('2026-10');
    expect(Buffer.from(encoded!.data!).toString('latin1')).not.toContain('acme/payments');
    const [decoded] = await codec.decode([encoded!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(value);
  });

  it('reads old payloads after a new primary key is introduced, and writes with the new one', async () => {
    const [old] = await new EncryptionCodec(keyring('2026-10', { '2026-10': october })).encode([payload(value)]);
    const rotated = new EncryptionCodec(keyring('2026-11', { '2026-10': october, '2026-11': november }));
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([old!]))[0]!)).toEqual(value);
    const [fresh] = await rotated.encode([payload(value)]);
    expect(new TextDecoder().decode(fresh!.metadata![KEY_ID_METADATA])).toBe('2026-11');
  });

  it('rejects tampered ciphertext, a wrong key, and an unknown key id', async () => {
    const codec = new EncryptionCodec(keyring('2026-10', { '2026-10': october }));
    const [encoded] = await codec.encode([payload(value)]);
    const tampered = Buffer.from(encoded!.data!);
    tampered[20] = tampered[20]! ^ 1;
    await expect(codec.decode([{ ...encoded!, data: tampered }])).rejects.toThrow(
      'encrypted payload failed authentication (key 2026-10): it was altered or the key is wrong',
    );
    await expect(new EncryptionCodec(keyring('2026-10', { '2026-10': november })).decode([encoded!])).rejects.toThrow(
      'failed authentication',
    );
    await expect(new EncryptionCodec(keyring('2026-11', { '2026-11': november })).decode([encoded!])).rejects.toThrow(
      'unknown payload encryption key id "2026-10" (known: 2026-11)',
    );
  });

  it('passes through payloads that were never encrypted', async () => {
    const plain = payload('plain');
    expect(await new EncryptionCodec(keyring('k', { k: october })).decode([plain])).toEqual([plain]);
  });
});

const UI = 'http://localhost:8233';

/** A codec server configured from its environment as a deployment would be, on a free port. */
async function codecServer(env: NodeJS.ProcessEnv) {
  const codec = new EncryptionCodec(keyring('k', { k: october }));
  const server = createCodecServer({ codec, allowedOrigin: UI, access: createCodecAccess(codecAccessFromEnv(env)) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const body = JSON.stringify({ payloads: [payloadToJSON((await codec.encode([payload(value)]))[0]!)] });
  const decode = (headers: Record<string, string> = {}) =>
    fetch(`${url}/decode`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  /** The status, and the error or the decoded value. */
  const answer = async (response: Response) => {
    const json = (await response.json()) as { error?: string; payloads?: Parameters<typeof JSONToPayload>[0][] };
    return [
      response.status,
      json.payloads ? defaultPayloadConverter.fromPayload(JSONToPayload(json.payloads[0]!)) : json.error,
    ];
  };
  const close = () => new Promise((resolve) => server.close(resolve));
  return { url, decode, answer, close };
}

const UNAUTHENTICATED = 'authentication required: a session from a login link, or a valid bearer token';

describe('who the codec server decrypts for', () => {
  const secretFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'idra-codec-')), 'secret');
  fs.writeFileSync(secretFile, randomBytes(32).toString('base64'));
  const secret = readSecretFile(secretFile);
  const baseEnv = {
    IDRA_CODEC_LOGIN_SECRET_FILE: secretFile,
    IDRA_CODEC_ALLOWED_USERS: 'alice@example.com, group:security-leads',
  };

  it('refuses to start when it would decrypt for nobody', () => {
    expect(() => codecAccessFromEnv({})).toThrow(
      'the codec server would decrypt for nobody: set IDRA_CODEC_ALLOWED_USERS (people who may see payloads) or IDRA_CODEC_SERVER_TOKEN (tools)',
    );
    expect(() => codecAccessFromEnv({ IDRA_CODEC_SERVER_TOKEN: 'short' })).toThrow(
      'IDRA_CODEC_SERVER_TOKEN must be at least 16 characters',
    );
    expect(() => codecAccessFromEnv({ ...baseEnv, IDRA_CODEC_OIDC_JWKS: '/some/jwks.json' })).toThrow(
      'IDRA_CODEC_OIDC_JWKS needs IDRA_CODEC_OIDC_ISSUER and IDRA_CODEC_OIDC_AUDIENCE',
    );
    expect(() =>
      codecAccessFromEnv({
        ...baseEnv,
        IDRA_CODEC_OIDC_JWKS: 'http://sso.example.com/jwks',
        IDRA_CODEC_OIDC_ISSUER: 'i',
        IDRA_CODEC_OIDC_AUDIENCE: 'a',
      }),
    ).toThrow('a key set must be fetched over https');
  });

  it("answers 401 to anyone unauthenticated (no credentials, a wrong token of any length, a forged session), 403 to another origin, and decodes for the tools' bearer token", async () => {
    const server = await codecServer({ ...baseEnv, IDRA_CODEC_SERVER_TOKEN: 'correct-horse-battery-staple' });
    try {
      for (const headers of <Record<string, string>[]>[
        {},
        { authorization: 'Bearer wrong' },
        { authorization: 'Bearer correct-horse-battery-stapl' },
        { authorization: `Bearer ${'x'.repeat(5000)}` },
        { cookie: 'idra_codec_session=guessed' },
      ]) {
        const response = await server.decode(headers);
        expect([...(await server.answer(response)), response.headers.get('www-authenticate')]).toEqual([
          401,
          UNAUTHENTICATED,
          'Bearer',
        ]);
      }
      expect(
        await server.answer(
          await server.decode({ authorization: 'Bearer correct-horse-battery-staple', origin: 'https://evil.example' }),
        ),
      ).toEqual([403, 'origin https://evil.example is not allowed']);
      expect(
        await server.answer(await server.decode({ authorization: 'Bearer correct-horse-battery-staple' })),
      ).toEqual([200, value]);
    } finally {
      await server.close();
    }
  });

  it("decodes for a person whose OIDC access token the UI forwards, when the allow-list names them or their group; 403 for others, 401 for a stranger's keys or an expired token", async () => {
    const idp = await identityProvider({ issuer: 'https://sso.example.com', audience: 'temporal-ui' });
    const server = await codecServer({
      ...baseEnv,
      IDRA_CODEC_OIDC_JWKS: idp.file,
      IDRA_CODEC_OIDC_ISSUER: 'https://sso.example.com',
      IDRA_CODEC_OIDC_AUDIENCE: 'temporal-ui',
    });
    const bearer = async (token: Promise<string>) =>
      server.answer(await server.decode({ authorization: `Bearer ${await token}`, origin: UI }));
    try {
      const alice = { email: 'alice@example.com', email_verified: true };
      expect(await bearer(idp.sign({ subject: 'u-1', claims: alice }))).toEqual([200, value]);
      expect(
        await bearer(
          idp.sign({
            alg: 'ES256',
            subject: 'u-2',
            claims: { email: 'carol@example.com', email_verified: true, groups: ['security-leads'] },
          }),
        ),
      ).toEqual([200, value]);
      expect(
        await bearer(
          idp.sign({
            subject: 'u-3',
            claims: { email: 'mallory@example.com', email_verified: true, groups: ['engineering'] },
          }),
        ),
      ).toEqual([403, 'mallory@example.com may not decode payloads']);
      // An email the provider did not verify is not who the person is: their subject is.
      expect(await bearer(idp.sign({ subject: 'u-4', claims: { email: 'alice@example.com' } }))).toEqual([
        403,
        'u-4 may not decode payloads',
      ]);
      expect(await bearer(idp.sign({ subject: 'u-1', claims: alice, audience: 'another-app' }))).toEqual([
        401,
        UNAUTHENTICATED,
      ]);
      expect(
        await bearer(idp.sign({ subject: 'u-1', claims: alice, issuer: 'https://other-tenant.example.com' })),
      ).toEqual([401, UNAUTHENTICATED]);
      expect(await bearer(idp.sign({ subject: 'u-1', claims: alice, expiresIn: '-1m' }))).toEqual([
        401,
        UNAUTHENTICATED,
      ]);
      const stranger = await identityProvider({ issuer: 'https://sso.example.com', audience: 'temporal-ui' });
      expect(await bearer(stranger.sign({ subject: 'u-1', claims: alice }))).toEqual([401, UNAUTHENTICATED]);
    } finally {
      await server.close();
    }
  });

  it("a login link signs a browser in once: its session cookie decodes; the link cannot be used again; the cookie works only from the UI's page; a decision token, a stranger or a forged token cannot sign in", async () => {
    const server = await codecServer(baseEnv);
    const login = (token: string) => fetch(`${server.url}/login?token=${token}`, { redirect: 'manual' });
    try {
      const link = new URL(await codecLoginLink(server.url, secret, 'alice@example.com'));
      const signedIn = await login(link.searchParams.get('token')!);
      expect([signedIn.status, signedIn.headers.get('location')]).toEqual([303, UI]);
      const setCookie = signedIn.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(
        /^idra_codec_session=[\w-]{43}; Max-Age=28800; Path=\/; HttpOnly; Secure; SameSite=Strict$/,
      );
      const cookie = setCookie.split(';')[0]!;
      expect(await server.answer(await server.decode({ cookie, origin: UI }))).toEqual([200, value]);
      // The cookie alone, replayed by another program (no Origin: not the UI's page), gets nothing.
      expect(await server.answer(await server.decode({ cookie }))).toEqual([401, UNAUTHENTICATED]);

      const again = await login(link.searchParams.get('token')!);
      expect([again.status, await again.json()]).toEqual([
        401,
        { error: 'the login link was used already: ask for a new one (idra codec-login)' },
      ]);
      const mallory = await login(
        new URL(await codecLoginLink(server.url, secret, 'mallory@example.com')).searchParams.get('token')!,
      );
      expect([mallory.status, await mallory.json()]).toEqual([
        403,
        { error: 'mallory@example.com may not decode payloads' },
      ]);
      // A decision token (its audience), one for another incident, one signed with another secret, no token.
      const tokens = [
        await mintAnalystToken(secret, { analyst: 'alice@example.com', incident: CODEC_LOGIN_INCIDENT }),
        await mintAnalystToken(secret, {
          analyst: 'alice@example.com',
          incident: 'idra-aws-123456789012-AKIAEXAMPLEEXAMPLE00',
          audience: CODEC_LOGIN_AUDIENCE,
        }),
        await mintAnalystToken(randomBytes(32), {
          analyst: 'alice@example.com',
          incident: CODEC_LOGIN_INCIDENT,
          audience: CODEC_LOGIN_AUDIENCE,
        }),
        'not-a-token',
      ];
      for (const token of tokens) {
        const refused = await login(token);
        expect([refused.status, await refused.json()]).toEqual([
          401,
          { error: 'the login link is invalid or expired: ask for a new one (idra codec-login)' },
        ]);
      }
    } finally {
      await server.close();
    }
  });

  it('a session ends when its lifetime does', () => {
    const sessions = new CodecSessions(60_000);
    const { id } = sessions.open('alice@example.com', 1_000);
    expect(sessions.userOf(id, 60_999)).toBe('alice@example.com');
    expect(sessions.userOf(id, 61_000)).toBeUndefined();
    expect(sessions.userOf('guessed', 1_000)).toBeUndefined();
  });
});
