import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import path from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import type { IdraClient } from '../../clients/idra-client';
import { freePort } from '../../infra/free-port';
import { type MotoServer, startMotoServer } from '../../infra/moto-server';
import { uniqueName } from './aws';
import { connectIdra, runWorkers } from './temporal';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Credentials of an IAM user of the restricted moto, and the user's name (to change what it may do). */
export interface Principal extends Credentials {
  userName: string;
}

/** Requests moto serves before it starts enforcing IAM: exactly the three that create the admin. */
const BOOTSTRAP_REQUESTS = 3;

function client(endpoint: string, credentials: Credentials): IAMClient {
  return new IAMClient({ endpoint, region: 'us-east-1', credentials });
}

async function userWithPolicy(iam: IAMClient, policy: unknown): Promise<Principal> {
  const userName = uniqueName('principal');
  await iam.send(new CreateUserCommand({ UserName: userName }));
  await iam.send(
    new PutUserPolicyCommand({ UserName: userName, PolicyName: 'access', PolicyDocument: JSON.stringify(policy) }),
  );
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey;
  if (!key?.AccessKeyId || !key.SecretAccessKey) throw new Error('moto returned no access key');
  return { userName, accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
}

/**
 * A moto that enforces IAM authorization (its INITIAL_NO_AUTH_ACTION_COUNT setting), so a worker can be
 * given credentials that lack a permission: the most common real cause of a failed containment step.
 */
export async function startRestrictedMoto(): Promise<
  MotoServer & {
    admin: IAMClient;
    adminSecrets: SecretsManagerClient;
    credentialsWithout(actions: string[]): Promise<Principal>;
    allowEverything(userName: string): Promise<void>;
  }
> {
  const moto = await startMotoServer({
    port: await freePort(),
    logFile: path.join(inject('runDir'), 'restricted-moto.log'),
    env: { ...process.env, INITIAL_NO_AUTH_ACTION_COUNT: String(BOOTSTRAP_REQUESTS) },
  });
  const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  const adminCredentials = await userWithPolicy(
    client(moto.endpoint, { accessKeyId: 'bootstrap', secretAccessKey: 'bootstrap' }),
    allowAll,
  );
  const admin = client(moto.endpoint, adminCredentials);
  return {
    ...moto,
    admin,
    adminSecrets: new SecretsManagerClient({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: adminCredentials,
    }),
    credentialsWithout: (actions) =>
      userWithPolicy(admin, {
        Version: '2012-10-17',
        Statement: [...allowAll.Statement, { Effect: 'Deny', Action: actions, Resource: '*' }],
      }),
    // The missing permission is granted (the fault is mended): the principal's policy allows everything.
    allowEverything: async (userName) => {
      await admin.send(
        new PutUserPolicyCommand({
          UserName: userName,
          PolicyName: 'access',
          PolicyDocument: JSON.stringify(allowAll),
        }),
      );
    },
  };
}

export type RestrictedMoto = Awaited<ReturnType<typeof startRestrictedMoto>>;

/**
 * A test file's harness on a restricted moto: the workers act with credentials that lack `denied`
 * (set in the environment, as in production; each file runs in its own process). Read the fields inside
 * tests and hooks (they are set in beforeAll).
 */
export function useRestrictedIdra(
  denied: string[],
  workerEnv: NodeJS.ProcessEnv = {},
): { moto: RestrictedMoto; worker: Principal; idra: IdraClient } {
  const context = {} as { moto: RestrictedMoto; worker: Principal; idra: IdraClient };
  let stop: () => Promise<void>;
  beforeAll(async () => {
    context.moto = await startRestrictedMoto();
    context.worker = await context.moto.credentialsWithout(denied);
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: context.moto.endpoint,
      AWS_ACCESS_KEY_ID: context.worker.accessKeyId,
      AWS_SECRET_ACCESS_KEY: context.worker.secretAccessKey,
    });
    const { idra, close } = await connectIdra();
    const workers = await runWorkers(workerEnv);
    context.idra = idra;
    stop = async () => {
      await workers.stop();
      await close();
      await context.moto.stop();
    };
  });
  afterAll(() => stop());
  return context;
}
