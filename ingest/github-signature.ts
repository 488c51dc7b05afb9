import { createHmac } from 'node:crypto';
import { sameSecret } from './shared-secret';

/** GitHub's `X-Hub-Signature-256` of a body: `sha256=` and the hex HMAC-SHA256 of its bytes with the webhook's secret. */
export function githubSignature(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Whether a delivery's `X-Hub-Signature-256` is GitHub's signature of this exact body (compared in constant time). */
export function githubSignatureValid(secret: string, rawBody: Buffer, signature: string | undefined): boolean {
  return sameSecret(signature, githubSignature(secret, rawBody));
}
