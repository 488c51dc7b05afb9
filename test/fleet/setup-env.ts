import { DefaultLogger, Runtime } from '@temporalio/worker';
import path from 'node:path';
import { inject } from 'vitest';

// The fleet's workers and the test's own clients read the same standard settings as in production.
const fixtures = path.join(__dirname, '..', 'fixtures');
Object.assign(process.env, {
  AWS_ENDPOINT_URL: inject('fleetMotoEndpoint'),
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  IDRA_WORKFLOW_BUNDLE: inject('fleetWorkflowBundlePath'),
  IDRA_PLAYBOOKS_DIR: path.join(fixtures, 'playbooks'),
  IDRA_INVENTORY_FILE: path.join(fixtures, 'inventory.yaml'),
  // Test-only keys and secrets (they protect nothing), as in the rest of the suite.
  IDRA_CODEC_KEYS_FILE: path.join(fixtures, 'codec-keys.test.json'),
  IDRA_AUTH_HS256_SECRET_FILE: path.join(fixtures, 'analyst-token-secret.test'),
  // Storms of 100 and 200 leaked keys in one account: the guard must not be what decides here.
  IDRA_GUARD_MAX_PER_ACCOUNT: '100000',
  IDRA_GUARD_MAX_TOTAL: '100000',
});

Runtime.install({ logger: new DefaultLogger('WARN') });
