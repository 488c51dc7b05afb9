import { chromium, type Browser, type Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCodecAccess } from '../codec/codec-access';
import { codecAccessFromEnv } from '../codec/codec-access-config';
import { codecLoginSecret } from '../codec/codec-login-secret';
import { createCodecServer } from '../codec/codec-server';
import { EncryptionCodec } from '../codec/encryption-codec';
import { keyringFromEnv } from '../codec/keyring';
import { codecLoginLink } from '../codec/login-link';
import { freePort } from '../infra/free-port';
import { startTemporalUi, type TemporalUi } from '../infra/temporal-ui';
import { createUser } from './support/aws';
import { leakSignal } from './support/signals';
import { useIdra, waitForState } from './support/temporal';

/** Debian's Chromium (scripts/ensure-chromium.sh), quiet on a machine without internet. */
const CHROMIUM = process.env.IDRA_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('the Temporal UI, as npm start runs it, shows decrypted payloads only to a signed-in browser', () => {
  const env = useIdra();
  const marker = `evidence-${randomUUID()}`;
  let incident: string;
  let codecUrl: string;
  let ui: TemporalUi;
  let browser: Browser;
  let stopCodec: () => Promise<void>;
  /** What the codec server answered, to whom. */
  const codecAnswers: { origin?: string; path?: string; status: number }[] = [];

  beforeAll(async () => {
    const [uiPort, codecPort] = [await freePort(), await freePort()];
    const uiOrigin = `http://localhost:${uiPort}`;
    codecUrl = `http://localhost:${codecPort}`;
    const access = createCodecAccess(
      codecAccessFromEnv({ ...process.env, IDRA_CODEC_ALLOWED_USERS: 'alice@example.com' }),
    );
    const codecServer = createCodecServer({
      codec: new EncryptionCodec(keyringFromEnv()),
      allowedOrigin: uiOrigin,
      access,
    });
    codecServer.on('request', (request: http.IncomingMessage, response: http.ServerResponse) =>
      response.on('finish', () =>
        codecAnswers.push({ origin: request.headers.origin, path: request.url, status: response.statusCode }),
      ),
    );
    await new Promise<void>((resolve) => codecServer.listen(codecPort, '127.0.0.1', resolve));
    stopCodec = () => new Promise((resolve) => codecServer.close(() => resolve()));
    ui = await startTemporalUi({
      port: uiPort,
      temporalAddress: inject('temporalAddress'),
      codecEndpoint: codecUrl,
      configDir: path.join(inject('runDir'), 'ui'),
      logFile: path.join(inject('runDir'), 'ui.log'),
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });

    const user = await createUser('ui-decoding');
    ({ incident } = await env.idra.respond(leakSignal(user, 0, { evidence: { summary: `key leaked: ${marker}` } })));
    await waitForState(env.idra, incident, 'awaiting_decision');
  });
  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    await stopCodec?.();
  });

  /** Opens the response's page and waits for the UI's first answer from the codec server. */
  async function openResponse(page: Page): Promise<number> {
    const decoded = page.waitForResponse(
      (response) => response.url() === `${codecUrl}/decode` && response.request().method() === 'POST',
    );
    await page.goto(`${ui.url}/namespaces/default/workflows/${incident}`);
    return (await decoded).status();
  }

  it('before signing in: the codec server answers 401 and the page holds no plaintext', async () => {
    const page = await (await browser.newContext()).newPage();
    expect(await openResponse(page)).toBe(401);
    // What the UI shows instead: its codec warning, and the input as stored (encoding binary/encrypted, in base64).
    await page
      .getByText('Codec Server could not connect')
      .filter({ visible: true })
      .first()
      .waitFor({ timeout: 30_000 });
    await page.getByText(Buffer.from('binary/encrypted').toString('base64')).first().waitFor({ timeout: 30_000 });
    expect(await page.content()).not.toContain(marker);
  });

  it('after the login link: the same page shows the evidence decrypted', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(await codecLoginLink(codecUrl, codecLoginSecret()!, 'alice@example.com'));
    expect(page.url()).toBe(`${ui.url}/`);
    expect(await openResponse(page)).toBe(200);
    await page.getByText(marker).first().waitFor({ timeout: 30_000 });
  });

  it("a page of another local site cannot use the signed-in browser's session: 403, and no plaintext reaches it", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(await codecLoginLink(codecUrl, codecLoginSecret()!, 'alice@example.com'));
    // Same site as the codec server (localhost), so the browser would send the session cookie along.
    const other = http.createServer((_request, response) => response.end('<html><body>another app</body></html>'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      await page.goto(`http://localhost:${(other.address() as AddressInfo).port}/`);
      const otherOrigin = new URL(page.url()).origin;
      const seen = await page.evaluate(async (url) => {
        try {
          return await (
            await fetch(`${url}/decode`, {
              method: 'POST',
              credentials: 'include',
              headers: { 'content-type': 'text/plain' },
              body: '{"payloads": []}',
            })
          ).text();
        } catch {
          return 'blocked by the browser';
        }
      }, codecUrl);
      expect(seen).toBe('blocked by the browser');
      expect(codecAnswers.filter((answer) => answer.origin === otherOrigin)).toEqual([
        { origin: otherOrigin, path: '/decode', status: 403 },
      ]);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
});
