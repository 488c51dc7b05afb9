import fs from 'node:fs';
import { z } from 'zod';
import { keySetSource, type KeySetSource } from '../auth/key-set';
import { parseEnv } from '../config/parse-env';
import { GOOGLE_OIDC_KEYS } from './pubsub-push';

const ingestEnvSchema = z.object({
  IDRA_INGEST_HOST: z.string().min(1).default('127.0.0.1'),
  IDRA_INGEST_PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  /** The bearer token detectors send with idra's own signal format (SIEM rules, agent gateways). */
  IDRA_INGEST_TOKEN_FILE: z.string().min(1),
  /** The API key an EventBridge connection sends in `x-idra-api-key` (the connection's API_KEY authorization). */
  IDRA_INGEST_EVENTBRIDGE_KEY_FILE: z.string().min(1).optional(),
  /**
   * The secret of GitHub webhooks sending `secret_scanning_alert` events (the route then reads each alert
   * through idra's GitHub App: the IDRA_GITHUB_* variables of the GitHub worker, and AWS credentials of the
   * account whose keys it looks up).
   */
  IDRA_INGEST_GITHUB_WEBHOOK_SECRET_FILE: z.string().min(1).optional(),
  /** A Pub/Sub push subscription of Security Command Center notifications: the audience its OIDC tokens carry. */
  IDRA_INGEST_PUBSUB_AUDIENCE: z.string().min(1).max(500).optional(),
  /** ... and the service account it pushes as (the token's verified email). */
  IDRA_INGEST_PUBSUB_SERVICE_ACCOUNT: z.email().optional(),
  /** Where Google's token keys are: its https URL (the default) or a JWKS file. */
  IDRA_INGEST_PUBSUB_KEYS: z.string().min(1).default(GOOGLE_OIDC_KEYS),
  /** Findings each route takes per second before answering 429 (a storm waits at its sender, not in Temporal). */
  IDRA_INGEST_RATE_PER_SECOND: z.coerce.number().int().min(1).max(100_000).default(500),
  /** Signals about one identity per second (one response takes them in order). */
  IDRA_INGEST_RATE_PER_IDENTITY: z.coerce.number().int().min(1).max(10_000).default(20),
});

/** What the ingest server needs: where to listen, each route's secret (read from its file), its rate. */
export interface IngestConfig {
  host: string;
  port: number;
  signalToken: string;
  eventBridgeKey?: string;
  githubWebhookSecret?: string;
  pubsub?: { audience: string; serviceAccount: string; keys: KeySetSource };
  ratePerSecond: number;
  ratePerIdentity: number;
}

function secretFrom(file: string, variable: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new Error(`ingest configuration: ${variable}: cannot read ${file}: ${(error as Error).message}`);
  }
  // A short secret can be guessed; the files are made with `openssl rand -base64 32`.
  if (text.length < 16) throw new Error(`ingest configuration: ${variable}: ${file} holds fewer than 16 characters`);
  return text;
}

/** The Pub/Sub route's settings: both its audience and its service account, or neither (the route is off). */
function pubsubOf(config: z.infer<typeof ingestEnvSchema>): Pick<IngestConfig, 'pubsub'> {
  const { IDRA_INGEST_PUBSUB_AUDIENCE: audience, IDRA_INGEST_PUBSUB_SERVICE_ACCOUNT: serviceAccount } = config;
  if (!audience && !serviceAccount) return {};
  if (!audience || !serviceAccount)
    throw new Error(
      "ingest configuration: IDRA_INGEST_PUBSUB_AUDIENCE and IDRA_INGEST_PUBSUB_SERVICE_ACCOUNT go together (the push subscription's audience and account)",
    );
  let keys;
  try {
    keys = keySetSource(config.IDRA_INGEST_PUBSUB_KEYS);
  } catch (error) {
    throw new Error(`ingest configuration: IDRA_INGEST_PUBSUB_KEYS: ${(error as Error).message}`);
  }
  return { pubsub: { audience, serviceAccount, keys } };
}

export function ingestConfigFromEnv(env: NodeJS.ProcessEnv = process.env): IngestConfig {
  const config = parseEnv(ingestEnvSchema, env, 'ingest configuration');
  return {
    host: config.IDRA_INGEST_HOST,
    port: config.IDRA_INGEST_PORT,
    signalToken: secretFrom(config.IDRA_INGEST_TOKEN_FILE, 'IDRA_INGEST_TOKEN_FILE'),
    ...(config.IDRA_INGEST_EVENTBRIDGE_KEY_FILE
      ? { eventBridgeKey: secretFrom(config.IDRA_INGEST_EVENTBRIDGE_KEY_FILE, 'IDRA_INGEST_EVENTBRIDGE_KEY_FILE') }
      : {}),
    ...(config.IDRA_INGEST_GITHUB_WEBHOOK_SECRET_FILE
      ? {
          githubWebhookSecret: secretFrom(
            config.IDRA_INGEST_GITHUB_WEBHOOK_SECRET_FILE,
            'IDRA_INGEST_GITHUB_WEBHOOK_SECRET_FILE',
          ),
        }
      : {}),
    ...pubsubOf(config),
    ratePerSecond: config.IDRA_INGEST_RATE_PER_SECOND,
    ratePerIdentity: config.IDRA_INGEST_RATE_PER_IDENTITY,
  };
}
