import { ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { secrets, secretValue } from './support/aws';
import { decodedHistoryText } from './support/history-text';
import { EXTRA_NAMESPACES } from './support/namespaces';
import { connectIdra } from './support/temporal';

// Runs after every other test file (see vitest.config.mts), over everything the suite produced.
describe('no secret anywhere the suite wrote: histories (decrypted) and logs', () => {
  it('finds no rotated secret value (AWS key, agent secret), no SecretAccessKey, no GCP key file, no Azure client secret and no GitHub token', async () => {
    const listed = await secrets.send(
      new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['idra/rotated/'] }] }),
    );
    const values = (await Promise.all((listed.SecretList ?? []).map((secret) => secretValue(secret.Name ?? ''))))
      // Rotated AWS keys, and rotated agent secrets (Keycloak clients).
      .flatMap((value) => {
        const { SecretAccessKey, clientSecret } = (value ?? {}) as { SecretAccessKey?: string; clientSecret?: string };
        return [SecretAccessKey, clientSecret];
      })
      .filter((value): value is string => typeof value === 'string');
    expect(values.length).toBeGreaterThan(0);
    // What a GCP key file, an Azure client secret and a GitHub token look like wherever they would be written.
    const needles = ['SecretAccessKey', ...values, 'privateKeyData', 'BEGIN PRIVATE KEY', '"secretText":"'];
    // Shapes rather than words: a key file's field, also as JSON inside a string (not the secret type
    // google_cloud_private_key_id a finding names), a GitHub installation or OAuth token in full (its bare
    // prefix turns up inside random ids).
    const shapes = [/\\?"private_key\\?"\s*:/, /gh[so]_[A-Za-z0-9]{36}(?![A-Za-z0-9])/];

    let histories = 0;
    for (const namespace of ['default', ...EXTRA_NAMESPACES]) {
      const { idra, close } = await connectIdra(namespace);
      try {
        for await (const workflow of idra.client.workflow.list()) {
          const text = await decodedHistoryText(idra.client, workflow.workflowId, workflow.runId);
          histories++;
          for (const needle of needles) expect(text, `${namespace}/${workflow.workflowId}`).not.toContain(needle);
          for (const shape of shapes) expect(text, `${namespace}/${workflow.workflowId}`).not.toMatch(shape);
        }
      } finally {
        await close();
      }
    }
    expect(histories).toBeGreaterThan(100);

    const runDir = inject('runDir');
    const logs = fs.readdirSync(runDir).filter((file) => file.endsWith('.log'));
    expect(logs).toContain('rotation-worker.log');
    for (const log of logs) {
      const text = fs.readFileSync(path.join(runDir, log), 'utf8');
      for (const needle of needles) expect(text, log).not.toContain(needle);
      for (const shape of shapes) expect(text, log).not.toMatch(shape);
    }
  });
});
