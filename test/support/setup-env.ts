import { DefaultLogger, Runtime } from '@temporalio/worker';
import path from 'node:path';
import { inject } from 'vitest';
import { AZURE_SUBSCRIPTIONS } from './azure';

// The AWS SDK and the worker config read these standard settings, exactly as in production.
process.env.AWS_ENDPOINT_URL = inject('motoEndpoint');
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_ACCESS_KEY_ID = 'testing';
process.env.AWS_SECRET_ACCESS_KEY = 'testing';
// The GCP worker reaches the local GCP server with a static token, through the official clients.
process.env.IDRA_GCP_ENDPOINT = inject('gcpEndpoint');
process.env.GOOGLE_OAUTH_ACCESS_TOKEN = 'test-token';
// The Azure worker reaches the local Azure (one endpoint for ARM, Graph and the vault) with a static token; its
// vault answers at 127.0.0.1, which cannot be a subdomain of the resource its challenge names.
Object.assign(process.env, {
  IDRA_AZURE_ARM_ENDPOINT: inject('azureEndpoint'),
  IDRA_AZURE_GRAPH_ENDPOINT: inject('azureEndpoint'),
  IDRA_AZURE_KEYVAULT_URL: inject('azureEndpoint'),
  IDRA_AZURE_KEYVAULT_CHALLENGE_CHECK: 'off',
  AZURE_ACCESS_TOKEN: 'test-token',
  AZURE_SUBSCRIPTION_IDS: `${AZURE_SUBSCRIPTIONS.join(',')}`,
});
// The Keycloak worker signs in as its own client of the agents' realm (least privilege: manage-clients only).
const keycloak = inject('keycloak');
Object.assign(process.env, {
  IDRA_KEYCLOAK_URL: keycloak.url,
  IDRA_KEYCLOAK_REALM: keycloak.realm.realm,
  IDRA_KEYCLOAK_CLIENT_ID: keycloak.realm.worker.clientId,
  IDRA_KEYCLOAK_CLIENT_SECRET: keycloak.realm.worker.secret,
  // Rotated agent secrets go to Secrets Manager (moto, through the AWS settings above).
  IDRA_KEYCLOAK_SECRET_STORE: 'aws-secrets-manager',
});
// The GitHub worker acts as idra's app (its key written for this run), and holds the key of one app it may suspend.
Object.assign(process.env, inject('github').env);
process.env.TEMPORAL_ADDRESS = inject('temporalAddress');
process.env.IDRA_WORKFLOW_BUNDLE = inject('workflowBundlePath');
// Test playbooks choose themselves by the IAM tag test:playbook, so each scenario picks its own rules.
process.env.IDRA_PLAYBOOKS_DIR = path.join(__dirname, '..', 'fixtures', 'playbooks');
process.env.IDRA_INVENTORY_FILE = path.join(__dirname, '..', 'fixtures', 'inventory.yaml');
// A test-only keyring (it protects nothing): the recorded histories in test/histories are encrypted with it.
process.env.IDRA_CODEC_KEYS_FILE = path.join(__dirname, '..', 'fixtures', 'codec-keys.test.json');
// A test-only secret for analyst tokens (it protects nothing).
process.env.IDRA_AUTH_HS256_SECRET_FILE = path.join(__dirname, '..', 'fixtures', 'analyst-token-secret.test');
// And one for codec login links (it protects nothing either).
process.env.IDRA_CODEC_LOGIN_SECRET_FILE = path.join(__dirname, '..', 'fixtures', 'codec-login-secret.test');
// The blast-radius guard has its own tests; elsewhere it must never be what decides.
process.env.IDRA_GUARD_MAX_PER_ACCOUNT = '100000';
process.env.IDRA_GUARD_MAX_TOTAL = '100000';

// Worker lifecycle chatter drowns the test report; warnings and errors still show.
Runtime.install({ logger: new DefaultLogger('WARN') });
