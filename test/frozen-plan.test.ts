import { bundleWorkflowCode } from '@temporalio/worker';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import webpack from 'webpack';
import type { IdraClient } from '../clients/idra-client';
import { FAILURE_CONVERTER_PATH } from '../codec/data-converter';
import { WORKFLOWS_DIR } from '../config/paths';
import { createUser, userState } from './support/aws';
import { leakSignal } from './support/signals';
import { analyst, connectIdra, runWorkers, waitForState } from './support/temporal';

/** A workflow bundle built from today's code, except that the AWS action catalog binds differently. */
async function bundleWithChangedCatalog(): Promise<string> {
  const changed = path.join(__dirname, 'fixtures', 'changed-aws-actions.ts');
  const bundle = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_DIR,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (message: string) => console.error(message), log: () => undefined },
    // Only the AWS provider's catalog is swapped (every provider has an ./actions module).
    webpackConfigHook: (config) => ({
      ...config,
      plugins: [
        ...(config.plugins ?? []),
        new webpack.NormalModuleReplacementPlugin(/^\.\/actions$/, (resource: { context: string; request: string }) => {
          if (resource.context === path.join(__dirname, '..', 'providers', 'aws')) resource.request = changed;
        }),
      ],
    }),
  });
  const file = path.join(inject('runDir'), 'workflow-bundle-changed-catalog.js');
  fs.writeFileSync(file, bundle.code);
  return file;
}

describe('frozen plans: a response executes and undoes the plan recorded in its history', () => {
  let idra: IdraClient;
  let close: () => Promise<void>;
  let changedBundle: string;
  beforeAll(async () => {
    ({ idra, close } = await connectIdra());
    changedBundle = await bundleWithChangedCatalog();
    // The new code really binds differently: workflow code that bound steps itself would now aim elsewhere.
    expect(fs.readFileSync(changedBundle, 'utf8')).toContain('idra-quarantine-v2-');
  });
  afterAll(() => close());

  it('rolls back exactly what it applied after workers restart on code whose catalog binds another policy name', async () => {
    const user = await createUser('frozen', { keys: 1 });
    const before = await userState(user.userName);
    const first = await runWorkers();
    const { incident } = await idra.respond(leakSignal(user));
    try {
      await waitForState(idra, incident, 'awaiting_decision');
    } finally {
      await first.stop();
    }
    expect(Object.keys((await userState(user.userName)).policies)).toEqual([`idra-quarantine-${incident}`]);

    // A new release: its workers replay the response's history from the start, then roll it back.
    const second = await runWorkers({ IDRA_WORKFLOW_BUNDLE: changedBundle });
    try {
      const view = await idra.rollback(incident, analyst);
      expect(view.state).toBe('rolled_back');
      const quarantine = view.plan?.stages.flat().find((step) => step.action === 'aws.user.quarantine');
      expect(quarantine?.params.policyName).toBe(`idra-quarantine-${incident}`);
    } finally {
      await second.stop();
    }
    expect(await userState(user.userName)).toEqual(before);
  });
});
