import { IAMClient } from '@aws-sdk/client-iam';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { classifyFault, type ProviderDialect, type ProviderFault, stepFailure } from '../../../activities/step-failure';
import { boundedRetries } from './retry-strategy';

/**
 * The AWS clients one worker acts with. Credentials, region and endpoint come from the SDK's standard
 * settings (AWS_REGION, AWS_ENDPOINT_URL, AWS_PROFILE, ...), so the same code runs against AWS and moto.
 */
export interface AwsContext {
  iam: IAMClient;
  /** Where rotated credentials go, so no secret value ever reaches workflow history. */
  secrets: SecretsManagerClient;
  sts: STSClient;
  /** The account these credentials act in; resolved once, on first use. */
  accountId(): Promise<string>;
}

/** Where the clients go when not from the SDK's standard settings: a process that reaches AWS among other things. */
export interface AwsClientSettings {
  region?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function createAwsContext(settings: AwsClientSettings = {}): AwsContext {
  const iam = new IAMClient({ ...settings, retryStrategy: boundedRetries() });
  const sts = new STSClient({ ...settings, retryStrategy: boundedRetries() });
  let account: Promise<string> | undefined;
  return {
    iam,
    sts,
    secrets: new SecretsManagerClient({ ...settings, retryStrategy: boundedRetries() }),
    accountId: () => {
      account ??= sts.send(new GetCallerIdentityCommand({})).then((identity) => {
        if (!identity.Account) throw new Error('STS GetCallerIdentity returned no account');
        return identity.Account;
      });
      // A failed lookup (network, credentials) is retried on the next call rather than cached.
      account.catch(() => (account = undefined));
      return account;
    },
  };
}

/** Refuses to act when a step names another account than the one this worker's credentials reach. */
export async function assertAccount(context: AwsContext, account: string): Promise<void> {
  const actual = await context.accountId();
  if (actual !== account) {
    throw stepFailure(
      'WrongAccount',
      `this worker acts in AWS account ${actual}, but the step targets account ${account}`,
    );
  }
}

/** AWS's error names that say more than their status: throttling answers 400, a missing entity 404 or 400. */
const AWS: ProviderDialect = {
  name: 'AWS',
  codes: {
    Throttling: 'Throttled',
    ThrottlingException: 'Throttled',
    RequestLimitExceeded: 'Throttled',
    TooManyRequestsException: 'Throttled',
    NoSuchEntity: 'NoSuchEntity',
    NoSuchEntityException: 'NoSuchEntity',
    AccessDenied: 'AccessDenied',
    AccessDeniedException: 'AccessDenied',
    UnauthorizedOperation: 'AccessDenied',
  },
};

/** The facts of an AWS SDK error; a client fault the SDK saw without a status is the caller's. */
function awsFault(error: Error): ProviderFault {
  const { $fault, $metadata } = error as { $fault?: string; $metadata?: { httpStatusCode?: number } };
  return {
    status: $metadata?.httpStatusCode ?? ($fault === 'client' ? 400 : undefined),
    code: error.name,
    message: error.message,
  };
}

/** Awaits an AWS call; a failure is sorted into the step vocabulary (activities/step-failure.ts). */
export async function awsCall<T>(call: Promise<T>, what: string): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    throw classifyFault(awsFault(error), what, AWS);
  }
}

const ALREADY_GONE = new Set(['NoSuchEntityException', 'NoSuchEntity', 'ResourceNotFoundException']);

/**
 * Awaits a delete: a thing already gone counts as deleted. The SDK retries a call whose answer was lost
 * (a dropped connection, a 5xx after the work was done), and the retry of a delete that worked finds
 * nothing to delete; the step reads first, so a thing that never existed never gets here.
 */
export async function awsGone(call: Promise<unknown>, what: string): Promise<void> {
  await awsCall(
    call.catch((error: unknown) => {
      if (error instanceof Error && ALREADY_GONE.has(error.name)) return undefined;
      throw error;
    }),
    what,
  );
}
