import {
  type DescribeSecretCommandOutput,
  DescribeSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { awsCall } from './aws-context';

/** A secret's metadata (never its value), or undefined when there is no such secret. */
export function describeSecret(
  secrets: SecretsManagerClient,
  secretName: string,
): Promise<DescribeSecretCommandOutput | undefined> {
  const described = secrets.send(new DescribeSecretCommand({ SecretId: secretName })).catch((error: unknown) => {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  });
  return awsCall(described, `secret ${secretName}`);
}

/** The version of a secret staged AWSCURRENT: the value last stored, if one was. */
export function currentVersion(secret: DescribeSecretCommandOutput | undefined): string | undefined {
  return Object.entries(secret?.VersionIdsToStages ?? {}).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0];
}
