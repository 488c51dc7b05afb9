import { keySet } from '../auth/key-set';
import type { RespondResult } from '../clients/idra-client';
import { type AwsClientSettings, createAwsContext } from '../providers/aws/sdk/aws-context';
import { ownerOfLeakedAccessKey } from '../providers/aws/sdk/leaked-key-owner';
import { createGithubContext } from '../providers/github/sdk/github-context';
import { alertOwnerFinder } from './alert-owner';
import type { IngestConfig } from './ingest-config';
import type { IngestOptions } from './ingest-server';

/**
 * The ingest server's options from its configuration: its routes' secrets and rates, and — when GitHub
 * webhooks are configured — idra's GitHub App (`env`'s IDRA_GITHUB_* variables) and the AWS account whose
 * keys alerts are looked up in (the SDK's standard settings, unless `aws` says), which the route needs to name
 * a leaked credential's owner.
 */
export function ingestOptions(
  config: Omit<IngestConfig, 'host' | 'port'>,
  respond: (signal: unknown) => Promise<RespondResult>,
  env: NodeJS.ProcessEnv = process.env,
  aws: AwsClientSettings = {},
): IngestOptions {
  const { githubWebhookSecret, pubsub, ...rest } = config;
  // The clients connect on first use: AWS is reached only when a finding names a key alone.
  const awsContext = createAwsContext(aws);
  const ownerOfAccessKey = (keyId: string) => ownerOfLeakedAccessKey(awsContext, keyId);
  return {
    ...rest,
    respond,
    ownerOfAccessKey,
    ...(pubsub ? { pubsub: { ...pubsub, keys: keySet(pubsub.keys) } } : {}),
    ...(githubWebhookSecret
      ? {
          github: {
            webhookSecret: githubWebhookSecret,
            ownerOfAlert: alertOwnerFinder(createGithubContext(env), ownerOfAccessKey),
          },
        }
      : {}),
  };
}
