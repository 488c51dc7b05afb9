import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Action } from '../../../activities/action';
import { stepFailure } from '../../../activities/step-failure';
import { awsCall } from '../../aws/sdk/aws-context';
import { boundedRetries } from '../../aws/sdk/retry-strategy';
import { currentVersion, describeSecret } from '../../aws/sdk/secret-store';
import type { ParamsOf } from '../../provider';
import { keycloakClientRotateSecret } from '../actions';
import { findClient, type KeycloakContext, keycloakCall, oneClientAtATime } from './keycloak-context';

/** Whether the incident's secret holds a client secret idra made; its value is never part of the state. */
type RotationState = { rotated: boolean };

/** The tag on the secret that names the client whose secret it holds. */
const CLIENT_TAG = 'idra:keycloak-client';

/**
 * Rotates a leaked agent secret: Keycloak makes a new one (the leaked one stops working at once) and it goes
 * straight into the incident's secret in the store, never out of this activity; only its ARN is recorded. The
 * agent's owner hands it to the agent from there. Irreversible: the old secret is gone.
 */
export function clientRotateSecret(
  context: KeycloakContext,
): Action<ParamsOf<typeof keycloakClientRotateSecret>, RotationState> {
  // The AWS SDK's standard settings (AWS_REGION, AWS_PROFILE, ...) say which account and region.
  const store =
    context.secretStore === 'aws-secrets-manager'
      ? new SecretsManagerClient({ retryStrategy: boundedRetries() })
      : undefined;
  const configured = () => {
    if (!store)
      throw stepFailure(
        'InvalidConfiguration',
        'rotating an agent secret needs a secret store for the new one: set IDRA_KEYCLOAK_SECRET_STORE=aws-secrets-manager (and the AWS SDK settings of its account)',
      );
    return store;
  };
  return {
    spec: keycloakClientRotateSecret,
    read: async ({ secretName }) => {
      const secret = await describeSecret(configured(), secretName);
      // A version staged current: the new secret was stored (a secret made but left empty was not).
      return { rotated: currentVersion(secret) !== undefined };
    },
    desired: () => ({ rotated: true }),
    async write(params, { rotated }) {
      if (!rotated) throw stepFailure('Irreversible', 'a rotated client secret cannot be brought back');
      const secrets = configured();
      const client = await findClient(context, params);
      const existing = await describeSecret(secrets, params.secretName);
      // A secret of that name idra did not make (its tag names the client) is not one to write a secret into.
      if (existing && !existing.Tags?.some((tag) => tag.Key === CLIENT_TAG && tag.Value === params.clientId))
        throw stepFailure('ProviderRejected', `secret ${params.secretName} exists and is not idra's: not written to`);
      if (!existing)
        await awsCall(
          secrets.send(
            new CreateSecretCommand({
              Name: params.secretName,
              Description: `idra: new secret of Keycloak client ${params.clientId}`,
              Tags: [{ Key: CLIENT_TAG, Value: params.clientId }],
            }),
          ),
          `secret ${params.secretName}`,
        );
      const admin = await context.admin();
      const made = await keycloakCall(
        admin.clients.generateNewClientSecret({ id: client.id }),
        `agent client ${params.clientId}`,
      );
      if (!made.value) throw stepFailure('ProviderFault', `Keycloak returned no secret for ${params.clientId}`);
      // Lost here (a crash, the store down), the next attempt finds no stored version and makes another.
      await awsCall(
        secrets.send(
          new PutSecretValueCommand({
            SecretId: params.secretName,
            SecretString: JSON.stringify({
              issuer: params.issuer,
              clientId: params.clientId,
              clientSecret: made.value,
            }),
          }),
        ),
        `secret ${params.secretName}`,
      );
    },
    async reference({ secretName }) {
      const secret = await describeSecret(configured(), secretName);
      return { secretArn: secret?.ARN, secretVersionId: currentVersion(secret) };
    },
    exclusiveKey: oneClientAtATime,
  };
}
