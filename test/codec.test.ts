import { defaultPayloadConverter } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EncryptionCodec, KEY_ID_METADATA } from '../codec/encryption-codec';
import type { Keyring } from '../codec/keyring';

const keyring = (primaryKeyId: string, keys: Record<string, Buffer>): Keyring => ({ primaryKeyId, keys: new Map(Object.entries(keys)) });
const payload = (value: unknown) => defaultPayloadConverter.toPayload(value);

describe('the payload codec (AES-256-GCM with key ids)', () => {
  const october = randomBytes(32);
  const november = randomBytes(32);
  const value = { evidence: 'AKIA... committed to acme/payments', analyst: 'alice@example.com' };

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
