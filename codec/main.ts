import { createCodecAccess } from './codec-access';
import { codecAccessFromEnv } from './codec-access-config';
import { createCodecServer } from './codec-server';
import { EncryptionCodec } from './encryption-codec';
import { keyringFromEnv } from './keyring';

/**
 * The codec server as its own process (deployments; `npm start` runs it in-process):
 * IDRA_CODEC_PORT (8888), IDRA_CODEC_HOST (127.0.0.1), IDRA_CODEC_ALLOWED_ORIGIN (the UI's origin),
 * IDRA_CODEC_KEYS_FILE (the keyring), and who may decode (codec-access-config.ts; docs/security.md).
 */
const port = Number(process.env.IDRA_CODEC_PORT ?? 8888);
const host = process.env.IDRA_CODEC_HOST ?? '127.0.0.1';
const allowedOrigin = process.env.IDRA_CODEC_ALLOWED_ORIGIN ?? 'http://localhost:8233';
let access;
try {
  access = createCodecAccess(codecAccessFromEnv());
} catch (error) {
  console.error(`idra codec server: ${(error as Error).message}`);
  process.exit(2);
}
const server = createCodecServer({ codec: new EncryptionCodec(keyringFromEnv()), allowedOrigin, access });
server.listen(port, host, () => console.log(`idra codec server on http://${host}:${port} for ${allowedOrigin}`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close());
