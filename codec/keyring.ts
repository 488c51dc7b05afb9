import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../config/paths';
import { describeIssues } from '../model/validation';

/** AES-256 keys by id; payloads are encrypted with the primary, and decrypted with whichever key they name. */
export interface Keyring {
  primaryKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

const keyIdSchema = z.string().regex(/^[\w.-]{1,64}$/, 'must be a key id of 1-64 letters, digits and ._-');
const keySchema = z.string().refine((text) => Buffer.from(text, 'base64').length === 32, {
  error: 'must be 32 bytes, base64-encoded (openssl rand -base64 32)',
});

export const keyringFileSchema = z
  .strictObject({ primary: keyIdSchema, keys: z.record(keyIdSchema, keySchema) })
  .refine((file) => file.primary in file.keys, { error: 'primary must name one of the keys' });

/** Where `npm start` keeps the development key it creates; never used once IDRA_CODEC_KEYS_FILE is set. */
export const DEV_KEYRING_FILE = path.join(PROJECT_ROOT, '.data', 'codec-keys.json');

/** Loads the keyring from IDRA_CODEC_KEYS_FILE (default: the development keyring). There is no plaintext fallback. */
export function keyringFromEnv(env: NodeJS.ProcessEnv = process.env): Keyring {
  const file = env.IDRA_CODEC_KEYS_FILE ?? DEV_KEYRING_FILE;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read the payload encryption keys from ${file} (set IDRA_CODEC_KEYS_FILE; \`npm start\` creates a development keyring): ${(error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = keyringFileSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(`invalid payload encryption keys in ${file}: ${describeIssues(parsed.error.issues).join('; ')}`);
  return {
    primaryKeyId: parsed.data.primary,
    keys: new Map(Object.entries(parsed.data.keys).map(([id, key]) => [id, Buffer.from(key, 'base64')])),
  };
}

/** Writes a keyring with one fresh random key (readable by the owner only), unless the file exists. */
export function ensureKeyring(file: string, keyId = `dev-${new Date().toISOString().slice(0, 10)}`): void {
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    `${JSON.stringify({ primary: keyId, keys: { [keyId]: randomBytes(32).toString('base64') } }, null, 2)}\n`,
    { mode: 0o600 },
  );
}
