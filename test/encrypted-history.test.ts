import { defaultPayloadConverter } from '@temporalio/common';
import { JSONToPayload, payloadToJSON, type JSONPayload } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCodecServer } from '../codec/codec-server';
import { EncryptionCodec } from '../codec/encryption-codec';
import { keyringFromEnv } from '../codec/keyring';
import { createUser } from './support/aws';
import { toolAccess, toolAuthorization } from './support/codec-access';
import { leakSignal } from './support/signals';
import { useIdra, waitForState } from './support/temporal';

const UI = 'http://localhost:8233';

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('history holds ciphertext only; the codec server decodes it for the UI', () => {
  const env = useIdra();
  const marker = `evidence-${randomUUID()}`;
  let rawHistory: temporal.api.history.v1.IHistory;

  beforeAll(async () => {
    const user = await createUser('encrypted');
    // A failing step too, so a failure message (which names the target) is in the history.
    const { incident } = await env.idra.respond(
      leakSignal(user, 0, { evidence: { summary: `key leaked: ${marker}` } }),
    );
    await waitForState(env.idra, incident, 'awaiting_decision');
    await env.idra.approve(incident, { analyst: 'mallory@example.com', reason: marker }).catch(() => undefined);
    const response = await env.idra.client.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId: incident },
    });
    rawHistory = response.history ?? {};
  });

  it('the raw history has no plaintext evidence, no analyst reason and no failure message', () => {
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(rawHistory).finish()).toString('latin1');
    expect(bytes).toContain('binary/encrypted');
    expect(bytes).not.toContain(marker);
    expect(bytes).not.toContain('is not in the approver group');
  });

  it('the client, with the keys, reads it all back', async () => {
    const start = rawHistory.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    const [decoded] = await new EncryptionCodec(keyringFromEnv()).decode(start);
    expect(JSON.stringify(defaultPayloadConverter.fromPayload(decoded!))).toContain(marker);
  });

  it('POST /decode turns a payload the worker encrypted into the readable one, for the UI origin only', async () => {
    const server = createCodecServer({
      codec: new EncryptionCodec(keyringFromEnv()),
      allowedOrigin: UI,
      access: toolAccess(),
    });
    const url = await listen(server);
    try {
      const payloads = (rawHistory.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? []).map(
        payloadToJSON,
      );
      const decode = (origin: string) =>
        fetch(`${url}/decode`, {
          method: 'POST',
          headers: { origin, 'content-type': 'application/json', 'x-namespace': 'default', ...toolAuthorization },
          body: JSON.stringify({ payloads }),
        });

      const ok = await decode(UI);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('access-control-allow-origin')).toBe(UI);
      const body = (await ok.json()) as { payloads: JSONPayload[] };
      expect(JSON.stringify(defaultPayloadConverter.fromPayload(JSONToPayload(body.payloads[0]!)))).toContain(marker);

      const preflight = await fetch(`${url}/decode`, { method: 'OPTIONS', headers: { origin: UI } });
      expect([preflight.status, preflight.headers.get('access-control-allow-methods')]).toEqual([204, 'POST, OPTIONS']);

      const other = await decode('http://evil.example');
      expect([other.status, await other.json()]).toEqual([403, { error: 'origin http://evil.example is not allowed' }]);
    } finally {
      server.close();
    }
  });
});
