import type { WorkflowHandle } from '@temporalio/client';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { IdraClient } from '../../clients/idra-client';
import { type Fleet, startFleet } from '../../infra/fleet';
import type { Supervised } from '../../infra/supervise';
import { waitFor } from '../../infra/wait-for';
import type { SeededUser } from '../../infra/seed-aws';
import { createUser, type UserState, userState } from '../support/aws';
import { inBatches } from '../support/batches';
import { leakSignal } from '../support/signals';
import { connectIdra } from '../support/temporal';

/** The fleet's shape in these tests: the AWS part of a deployment, two of each busy role. */
const REPLICAS = { responses: 2, guard: 1, aws: 2 };
/** Leaked keys started at once: as many start calls in flight as a detector's burst would have. */
const IN_FLIGHT = 20;

type HistoryEvents = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>;

interface Incident {
  user: SeededUser;
  before: UserState;
  incident: string;
}

describe('idra on a Temporal cluster on PostgreSQL, several workers per role', () => {
  let fleet: Fleet;
  let idra: IdraClient;
  let close: () => Promise<void>;
  const said: { at: number; line: string }[] = [];
  let gaveUp: string | undefined;

  beforeAll(async () => {
    fleet = await startFleet({
      dir: path.join(inject('fleetRunDir'), 'fleet'),
      namespace: 'default',
      // Each process is killed at most twice here; more would be a crash loop worth failing on.
      policy: { maxRestarts: 3, withinMs: 10 * 60_000 },
      say: (line) => said.push({ at: Date.now(), line }),
      giveUp: (message) => (gaveUp = message),
    });
    await fleet.startWorkers(process.env, REPLICAS);
    process.env.TEMPORAL_ADDRESS = fleet.address;
    ({ idra, close } = await connectIdra());
  });
  afterAll(async () => {
    await close?.();
    await fleet?.stop();
  });

  const member = (name: string): Supervised => {
    const found = fleet.processes.get(name);
    if (!found) throw new Error(`no fleet process named ${name}`);
    return found;
  };
  const pidOf = (name: string) => member(name).current().child.pid;

  async function leak(count: number, prefix: string): Promise<Incident[]> {
    const users = await inBatches(
      Array.from({ length: count }, (_, index) => index),
      IN_FLIGHT,
      async (index) => {
        const user = await createUser(`${prefix}-${index}`);
        return { user, before: await userState(user.userName) };
      },
    );
    return inBatches(users, IN_FLIGHT, async (seeded) => ({
      ...seeded,
      incident: (await idra.respond(leakSignal(seeded.user))).incident,
    }));
  }

  /** Responses of this cluster in a state, counted by visibility (PostgreSQL, idra's search attributes). */
  const countIn = async (state: string) =>
    Number((await idra.client.workflow.count(`IdraState = '${state}' AND ExecutionStatus = 'Running'`)).count);

  async function allContained(incidents: Incident[], timeoutMs: number): Promise<void> {
    await waitFor(
      `all ${incidents.length} responses to await a decision`,
      async () => (await countIn('awaiting_decision')) === incidents.length,
      timeoutMs,
      500,
    );
  }

  /** Each response applied each of its three changes once, and moto shows the key off and the quarantine. */
  async function expectContainedOnce(incidents: Incident[]): Promise<void> {
    await inBatches(incidents, IN_FLIGHT, async ({ user, incident }) => {
      const view = await idra.status(incident);
      expect(view.state).toBe('awaiting_decision');
      expect(view.changes.map((receipt) => [receipt.step, receipt.operation, receipt.changed]).sort()).toEqual([
        [0, 'apply', true],
        [1, 'apply', true],
        [2, 'apply', true],
      ]);
      const contained = await userState(user.userName);
      expect(contained.keys).toEqual({ [user.accessKeyIds[0]!]: 'Inactive' });
      expect(Object.keys(contained.policies)).toEqual([`idra-quarantine-${incident}`]);
    });
  }

  async function rollBackExactly(incidents: Incident[]): Promise<void> {
    await inBatches(incidents, IN_FLIGHT, async ({ user, before, incident }) => {
      const final = await idra.rollback(incident, { analyst: 'alice@example.com', reason: 'fleet test' });
      expect(final.state).toBe('rolled_back');
      expect(await userState(user.userName)).toEqual(before);
    });
  }

  async function histories(incidents: Incident[]): Promise<HistoryEvents[]> {
    return inBatches(
      incidents,
      IN_FLIGHT,
      async ({ incident }) => (await idra.client.workflow.getHandle(incident).fetchHistory()).events ?? [],
    );
  }

  it('200 leaked keys: each contained once, the work shared by both responses and both AWS workers, rollbacks exact', async () => {
    const incidents = await leak(200, 'fleet');
    await allContained(incidents, 240_000);
    await expectContainedOnce(incidents);

    // Who did the work, from the histories: the worker identity (pid@host) on each task it started.
    const workflowTasks = new Map<string, number>();
    const awsActivities = new Map<string, number>();
    for (const events of await histories(incidents)) {
      const scheduled = new Map(events.map((event) => [String(event.eventId), event]));
      for (const event of events) {
        const workflowTask = event.workflowTaskStartedEventAttributes?.identity;
        if (workflowTask) workflowTasks.set(workflowTask, (workflowTasks.get(workflowTask) ?? 0) + 1);
        const activity = event.activityTaskStartedEventAttributes;
        const type = scheduled.get(String(activity?.scheduledEventId))?.activityTaskScheduledEventAttributes
          ?.activityType?.name;
        if (activity?.identity && type?.startsWith('aws.'))
          awsActivities.set(activity.identity, (awsActivities.get(activity.identity) ?? 0) + 1);
      }
    }
    const identities = (role: string) => [1, 2].map((index) => `${pidOf(`idra ${role} worker ${index}`)}@`).sort();
    const byPid = (counts: Map<string, number>) =>
      [...counts.keys()].map((identity) => identity.replace(/@.*/, '@')).sort();
    expect(byPid(workflowTasks)).toEqual(identities('responses'));
    expect(byPid(awsActivities)).toEqual(identities('aws'));
    console.log(
      `fleet: workflow tasks per responses worker ${[...workflowTasks.values()].join(' / ')}, AWS activities per AWS worker ${[...awsActivities.values()].join(' / ')}`,
    );

    await rollBackExactly(incidents);
    expect(gaveUp).toBeUndefined();
  });

  it('kill -9 of a responses worker, an AWS worker, matching and history during a storm of 100: every response contained once, none lost, rollbacks exact', async () => {
    const victims = ['idra responses worker 1', 'idra aws worker 2', 'Temporal matching', 'Temporal history'];
    const recovery: Record<string, number> = {};
    const storm = leak(100, 'fleet-kill');
    // Each kill once the storm has got further, after the previous victim is back (the supervisor restarts it).
    const killing = (async () => {
      for (const [index, victim] of victims.entries()) {
        await waitFor(
          `${(index + 1) * 15} responses contained before killing ${victim}`,
          async () => (await countIn('awaiting_decision')) >= (index + 1) * 15,
          120_000,
          100,
        );
        const killed = member(victim).current();
        const killedAt = Date.now();
        killed.child.kill('SIGKILL');
        await waitFor(
          `${victim} to be running again`,
          () => Promise.resolve(member(victim).current() !== killed),
          120_000,
        );
        recovery[victim] = Date.now() - killedAt;
      }
    })();
    const incidents = await storm;
    await killing;
    await allContained(incidents, 240_000);
    await expectContainedOnce(incidents);
    console.log(`fleet: recovery after kill -9 (ms): ${JSON.stringify(recovery)}`);

    // Not one activity scheduled twice: the killed workers' tasks were retried, not started anew.
    for (const events of await histories(incidents)) {
      const types = events.flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
      expect(types.filter((type) => type === 'aws.steps.apply')).toHaveLength(2);
      expect(new Set(types.filter((type) => type !== 'aws.steps.apply')).size).toBe(
        types.filter((type) => type !== 'aws.steps.apply').length,
      );
    }
    await rollBackExactly(incidents);
    expect(gaveUp).toBeUndefined();
  });

  it('PostgreSQL restarted (fast shutdown, then start) mid-response: Temporal recovers, no response lost', async () => {
    const storm = leak(30, 'fleet-pg');
    await waitFor('10 responses contained', async () => (await countIn('awaiting_decision')) >= 10, 120_000, 100);
    const postgres = member('PostgreSQL').current();
    const stoppedAt = Date.now();
    // SIGINT is PostgreSQL's fast shutdown: open transactions roll back, connections close.
    postgres.child.kill('SIGINT');
    await waitFor(
      'PostgreSQL to be running again',
      () => Promise.resolve(member('PostgreSQL').current() !== postgres),
      120_000,
    );
    const back = Date.now() - stoppedAt;
    const incidents = await storm;
    await allContained(incidents, 240_000);
    console.log(`fleet: PostgreSQL back ${back} ms after its fast shutdown; all ${incidents.length} contained`);
    await expectContainedOnce(incidents);
    await rollBackExactly(incidents);
    expect(gaveUp).toBeUndefined();
  });
});
