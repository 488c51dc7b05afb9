import type { DataConverter } from '@temporalio/common';
import path from 'node:path';
import { EncryptionCodec } from './encryption-codec';
import { type Keyring, keyringFromEnv } from './keyring';

/** The failure converter module, by path (the .ts source, or the compiled .js): workers bundle it into the workflow sandbox. */
export const FAILURE_CONVERTER_PATH = path.join(__dirname, `failure-converter${path.extname(__filename)}`);

/** The one data converter of idra: every client, worker, the CLI, the benchmark and the replay test use it. */
export function idraDataConverter(keyring: Keyring = keyringFromEnv()): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keyring)], failureConverterPath: FAILURE_CONVERTER_PATH };
}
