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
  it('finds no rotated secret value, no SecretAccessKey, no GCP key file, no Azure client secret and no GitHub token', async () => {
    const listed = await secrets.send(
      new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['idra/rotated/'] }] }),
    );
    const values = (await Promise.all((listed.SecretList ?? []).map((secret) => secretValue(secret.Name ?? ''))))
      .map((value) => (value as { SecretAccessKey?: string } | null)?.SecretAccessKey)
      .filter((value): value is string => typeof value === 'string');
    expect(values.length).toBeGreaterThan(0);
    // What a GCP key file, an Azure client secret and a GitHub token look like wherever they would be written.
    const needles = [
      'SecretAccessKey',
      ...values,
      'privateKeyData',
      'private_key',
      'BEGIN PRIVATE KEY',
      '"secretText":"',
    ];
    // A GitHub installation or OAuth token in full: the bare prefix also turns up inside random ids and payload data.
    const githubToken = /gh[so]_[A-Za-z0-9]{36}(?![A-Za-z0-9])/;

    let histories = 0;
    for (const namespace of ['default', ...EXTRA_NAMESPACES]) {
      const { idra, close } = await connectIdra(namespace);
      try {
        for await (const workflow of idra.client.workflow.list()) {
          const text = await decodedHistoryText(idra.client, workflow.workflowId, workflow.runId);
          histories++;
          for (const needle of needles) expect(text, `${namespace}/${workflow.workflowId}`).not.toContain(needle);
          expect(text, `${namespace}/${workflow.workflowId}`).not.toMatch(githubToken);
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
      expect(text, log).not.toMatch(githubToken);
    }
  });
});
