import { defaultPayloadConverter } from '@temporalio/common';
import { JSONToPayload, payloadToJSON } from '@temporalio/common/lib/proto-utils';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createCodecServer } from '../codec/codec-server';
import { EncryptionCodec, KEY_ID_METADATA } from '../codec/encryption-codec';
import type { Keyring } from '../codec/keyring';

const keyring = (primaryKeyId: string, keys: Record<string, Buffer>): Keyring => ({ primaryKeyId, keys: new Map(Object.entries(keys)) });
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
    await expect(codec.decode([{ ...encoded!, data: tampered }])).rejects.toThrow('encrypted payload failed authentication (key 2026-10): it was altered or the key is wrong');
    await expect(new EncryptionCodec(keyring('2026-10', { '2026-10': november })).decode([encoded!])).rejects.toThrow('failed authentication');
    await expect(new EncryptionCodec(keyring('2026-11', { '2026-11': november })).decode([encoded!])).rejects.toThrow('unknown payload encryption key id "2026-10" (known: 2026-11)');
  });

  it('passes through payloads that were never encrypted', async () => {
    const plain = payload('plain');
    expect(await new EncryptionCodec(keyring('k', { k: october })).decode([plain])).toEqual([plain]);
  });
});

describe('the codec server behind a bearer token', () => {
  it('answers 401 without the token or with a wrong one (of any length), 403 to another origin, and decodes with it', async () => {
    const codec = new EncryptionCodec(keyring('k', { k: october }));
    const server = createCodecServer({ codec, allowedOrigin: 'http://localhost:8233', token: 'correct-horse-battery-staple' });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/decode`;
    try {
      const [encoded] = await codec.encode([payload(value)]);
      const body = JSON.stringify({ payloads: [payloadToJSON(encoded!)] });
      const post = (headers: Record<string, string>) => fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
      for (const authorization of [undefined, 'Bearer wrong', 'Bearer correct-horse-battery-stapl', `Bearer ${'x'.repeat(5000)}`]) {
        const response = await post(authorization ? { authorization } : {});
        expect([response.status, await response.json()]).toEqual([401, { error: 'a valid bearer token is required' }]);
      }
      expect((await post({ authorization: 'Bearer correct-horse-battery-staple', origin: 'https://evil.example' })).status).toBe(403);
      const decoded = await post({ authorization: 'Bearer correct-horse-battery-staple' });
      const { payloads } = (await decoded.json()) as { payloads: Parameters<typeof JSONToPayload>[0][] };
      expect(defaultPayloadConverter.fromPayload(JSONToPayload(payloads[0]!))).toEqual(value);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
