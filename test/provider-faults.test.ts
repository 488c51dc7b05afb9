import { IAMClient } from '@aws-sdk/client-iam';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdraClient } from '../clients/idra-client';
import { AWS_FAULTS } from '../emulators/fault-proxy/aws-faults';
import { FAULT_KINDS, type FaultProxy, startFaultProxy } from '../emulators/fault-proxy/fault-proxy';
import { waitFor } from '../infra/wait-for';
import type { ResponseView } from '../model/response';
import { createIamUser } from '../infra/seed-aws';
import { secretValue, uniqueName, userState } from './support/aws';
import { inBatches } from './support/batches';
import { leakSignal } from './support/signals';
import { analyst, connectIdra, runWorkers } from './support/temporal';

const CONTAINED = 50;
const ROLLED_BACK = 10;

describe('provider faults: 30% of the calls to AWS fail, before or after reaching it', () => {
  let proxy: FaultProxy;
  let idra: IdraClient;
  let stop: () => Promise<void>;
  // The test's own setup and observations go to moto directly; the workers go through the proxy.
  const moto = process.env.AWS_ENDPOINT_URL ?? '';
  const direct = { iam: new IAMClient({ endpoint: moto }), secrets: new SecretsManagerClient({ endpoint: moto }) };

  /** The key id in the incident's secret (never the secret itself: it must not reach a test's output). */
  const storedKeyId = async (incident: string) =>
    ((await secretValue(`idra/rotated/${incident}`, direct.secrets)) as { AccessKeyId: string } | null)?.AccessKeyId ??
    null;

  beforeAll(async () => {
    proxy = await startFaultProxy({ target: moto, share: 0.3, seed: 20261127, faults: AWS_FAULTS });
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;
    const client = await connectIdra();
    const workers = await runWorkers();
    idra = client.idra;
    stop = async () => {
      await workers.stop();
      await client.close();
      await proxy.stop();
    };
  });
  afterAll(() => stop());

  it(`${CONTAINED} responses contain and ${ROLLED_BACK} roll back, each change made once, none left waiting`, async () => {
    const users = await inBatches(
      Array.from({ length: CONTAINED + ROLLED_BACK }, (_, index) => index),
      10,
      (index) => createIamUser(direct.iam, uniqueName(`faulty-${index}`), { tags: { 'test:playbook': 'rotate' } }),
    );
    const incidents = (await inBatches(users, 10, (user) => idra.respond(leakSignal(user)))).map(
      (result) => result.incident,
    );

    // Nothing waits forever: on a timeout, the error names every response still elsewhere and why.
    let unsettled: string[] = [];
    const settled = (state: ResponseView['state'], among: string[]) =>
      waitFor(
        `${among.length} responses to be ${state}`,
        async () => {
          const views = await inBatches(among, 20, (incident) => idra.status(incident));
          unsettled = views
            .filter((view) => view.state !== state)
            .map((view) => `${view.incident}: ${view.state} ${view.failures.join('; ')} ${view.blockedBecause ?? ''}`);
          return unsettled.length === 0 ? views : undefined;
        },
        240_000,
        500,
      ).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\n${unsettled.join('\n')}`);
      });
    await settled('awaiting_decision', incidents);
    const rolledBack = await inBatches(incidents.slice(0, ROLLED_BACK), 5, (incident) =>
      idra.rollback(incident, analyst),
    );
    expect(rolledBack.map((view) => view.state)).toEqual(Array(ROLLED_BACK).fill('rolled_back'));

    for (const [index, user] of users.entries()) {
      const incident = incidents[index] ?? '';
      const leaked = user.accessKeyIds[0] ?? '';
      const { keys } = await userState(user.userName, direct.iam);
      if (index < ROLLED_BACK) {
        // Exactly as before: the leaked key active again, no replacement left, no secret.
        expect(keys).toEqual({ [leaked]: 'Active' });
        expect(await storedKeyId(incident)).toBeNull();
        continue;
      }
      // Exactly one replacement key, the one in the secret: no key made twice by a retried call.
      expect(keys).toEqual({ [leaked]: 'Inactive', [(await storedKeyId(incident)) ?? 'none stored']: 'Active' });
    }

    // Steps that failed inside their stage's batch were applied again on their own (and still made once).
    const histories = await inBatches(incidents, 10, (incident) =>
      idra.client.workflow.getHandle(incident).fetchHistory(),
    );
    const appliedAlone = histories
      .flatMap((history) => history.events ?? [])
      .filter((event) =>
        /^aws\.accessKey\.\w+\.apply$/.test(event.activityTaskScheduledEventAttributes?.activityType?.name ?? ''),
      );
    expect(appliedAlone.length).toBeGreaterThan(0);

    // Every kind of fault happened, and writes whose answer was lost were among them.
    const faulted = proxy.faulted();
    for (const kind of FAULT_KINDS) expect(faulted[kind]).toBeGreaterThan(0);
    expect(
      proxy.calls.filter(
        (call) =>
          call.fault === 'drop-after' && /Action=(CreateAccessKey|UpdateAccessKey|DeleteAccessKey)/.test(call.body),
      ).length,
    ).toBeGreaterThan(0);
  }, 600_000);
});
