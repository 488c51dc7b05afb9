import type { Payload, PayloadCodec } from '@temporalio/common';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const text = (value: string) => new TextEncoder().encode(value);

/**
 * AES-256-GCM over whole payloads (metadata included), so the server, its database and anyone reading raw
 * history see only ciphertext. The key id travels in the payload's clear metadata: old histories stay
 * readable after a new primary key is introduced, as long as the old key stays in the keyring.
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keyring: Keyring) {}

  encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.keyring.primaryKeyId;
    // The executor turns a throw into a rejection, as callers of an async codec expect.
    return new Promise((resolve) =>
      resolve(
        payloads.map((payload) => {
          const iv = randomBytes(IV_BYTES);
          const cipher = createCipheriv('aes-256-gcm', this.key(keyId), iv);
          const plain = temporal.api.common.v1.Payload.encode(payload).finish();
          const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
          return {
            metadata: { [METADATA_ENCODING_KEY]: text(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: text(keyId) },
            data,
          };
        }),
      ),
    );
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) =>
      resolve(
        payloads.map((payload) => {
          const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
          if (!encoding || new TextDecoder().decode(encoding) !== ENCRYPTED_ENCODING) return payload;
          const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
          if (!keyIdBytes) throw new Error('encrypted payload without a key id');
          const keyId = new TextDecoder().decode(keyIdBytes);
          const data = Buffer.from(payload.data ?? new Uint8Array());
          if (data.length < IV_BYTES + TAG_BYTES) throw new Error('encrypted payload too short');
          const decipher = createDecipheriv('aes-256-gcm', this.key(keyId), data.subarray(0, IV_BYTES));
          decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
          let plain: Buffer;
          try {
            plain = Buffer.concat([
              decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
              decipher.final(),
            ]);
          } catch {
            // GCM authenticates: a changed byte, or the wrong key under the right id, fails here.
            throw new Error(
              `encrypted payload failed authentication (key ${keyId}): it was altered or the key is wrong`,
            );
          }
          return temporal.api.common.v1.Payload.decode(plain);
        }),
      ),
    );
  }

  private key(keyId: string): Buffer {
    const key = this.keyring.keys.get(keyId);
    if (!key)
      throw new Error(
        `unknown payload encryption key id "${keyId}" (known: ${[...this.keyring.keys.keys()].join(', ')})`,
      );
    return key;
  }
}
