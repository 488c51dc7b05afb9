import { IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ApplicationFailure } from '@temporalio/common';

/**
 * The AWS clients one worker acts with. Credentials, region and endpoint come from the SDK's standard
 * settings (AWS_REGION, AWS_ENDPOINT_URL, AWS_PROFILE, ...), so the same code runs against AWS and moto.
 */
export interface AwsContext {
  iam: IAMClient;
  /** The account these credentials act in; resolved once, on first use. */
  accountId(): Promise<string>;
}

export function createAwsContext(): AwsContext {
  const iam = new IAMClient({});
  const sts = new STSClient({});
  let account: Promise<string> | undefined;
  return {
    iam,
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

/** Refuses to act when a signal names another account than the one this worker's credentials reach. */
export async function assertAccount(context: AwsContext, account: string): Promise<void> {
  const actual = await context.accountId();
  if (actual !== account) {
    throw ApplicationFailure.nonRetryable(
      `this worker acts in AWS account ${actual}, but the step targets account ${account}`,
      'WrongAccount',
    );
  }
}

/** A missing IAM entity will not appear by retrying: fail the step at once with the provider's words. */
export function rethrowMissing(error: unknown, what: string): never {
  if (error instanceof Error && error.name === 'NoSuchEntityException') {
    throw ApplicationFailure.nonRetryable(`${what} does not exist: ${error.message}`, 'NoSuchEntity');
  }
  throw error;
}
