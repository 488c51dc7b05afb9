import { createCodecServer } from './codec-server';
import { EncryptionCodec } from './encryption-codec';
import { keyringFromEnv } from './keyring';

/**
 * The codec server as its own process (deployments; `npm start` runs it in-process):
 * IDRA_CODEC_PORT (8888), IDRA_CODEC_HOST (127.0.0.1), IDRA_CODEC_ALLOWED_ORIGIN (the UI's origin),
 * IDRA_CODEC_SERVER_TOKEN (optional bearer token), IDRA_CODEC_KEYS_FILE (the keyring).
 */
const port = Number(process.env.IDRA_CODEC_PORT ?? 8888);
const host = process.env.IDRA_CODEC_HOST ?? '127.0.0.1';
const allowedOrigin = process.env.IDRA_CODEC_ALLOWED_ORIGIN ?? 'http://localhost:8233';
const server = createCodecServer({ codec: new EncryptionCodec(keyringFromEnv()), allowedOrigin, token: process.env.IDRA_CODEC_SERVER_TOKEN });
server.listen(port, host, () => console.log(`idra codec server on http://${host}:${port} for ${allowedOrigin}`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close());
