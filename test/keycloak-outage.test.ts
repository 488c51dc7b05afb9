import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdraClient } from '../clients/idra-client';
import { type FaultProxy, startFaultProxy } from '../emulators/fault-proxy/fault-proxy';
import { KEYCLOAK_FAULTS } from '../emulators/fault-proxy/keycloak-faults';
import { waitFor } from '../infra/wait-for';
import { agentSignal, clientState, createAgent, keycloak } from './support/keycloak';
import { connectIdra, runWorkers, waitForState } from './support/temporal';

describe('Keycloak unreachable while a step runs: retried, never half-done, finished once it is back', () => {
  let idra: IdraClient;
  let proxy: FaultProxy;
  const stops: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    // The worker reaches the admin API through a proxy that can take Keycloak away; agents' tokens still
    // name the real server as issuer.
    proxy = await startFaultProxy({
      target: keycloak().url,
      share: 0,
      seed: 7,
      faults: KEYCLOAK_FAULTS,
      kinds: ['drop-before'],
    });
    // Provider workers read their settings from the environment, as in production (a test file is a process).
    Object.assign(process.env, { IDRA_KEYCLOAK_URL: proxy.endpoint, IDRA_KEYCLOAK_ISSUER: keycloak().realm.issuer });
    const workers = await runWorkers();
    const client = await connectIdra();
    idra = client.idra;
    stops.push(
      () => workers.stop(),
      () => client.close(),
      () => proxy.stop(),
    );
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  it('every call dropped during the apply: the step is retried, and restricts exactly once Keycloak answers', async () => {
    const agent = await createAgent(['tools:read', 'tools:write'], { 'test:playbook': 'agent-guarded' });
    const { incident } = await idra.respond(agentSignal(agent));
    await waitForState(idra, incident, 'awaiting_approval');

    proxy.setShare(1);
    const approving = idra.approve(incident, { analyst: 'bob@example.com', reason: 'restrict it' });
    await waitFor(
      'the step to be tried more than once against the dead server',
      () => Promise.resolve(proxy.faulted()['drop-before'] >= 3),
      60_000,
    );
    expect((await idra.status(incident)).state).toBe('restricting');
    expect((await clientState(agent)).defaultScopes).toContain('tools:write');

    proxy.setShare(0);
    expect((await approving).state).toBe('restricted');
    const state = await clientState(agent);
    expect(state.defaultScopes).toEqual(expect.arrayContaining(['tools:read']));
    expect(state.defaultScopes).not.toContain('tools:write');
    const view = await idra.status(incident);
    expect(view.changes.filter((receipt) => receipt.operation === 'apply').map((receipt) => receipt.action)).toEqual([
      'keycloak.client.narrowScopes',
    ]);
  });
});
