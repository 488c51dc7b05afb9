import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { codecAccessFromEnv } from '../codec/codec-access-config';
import { SEARCH_ATTRIBUTE_KEYS } from '../model/search-attributes';
import { temporalTarget } from '../config/temporal-connection';
import { PROVIDER_IDS } from '../providers/catalog';
import { WORKER_ROLES, workerConfigFromEnv } from '../workers/config';
import { FLEET_REPLICAS, fleetWorkers } from '../infra/fleet-workers';
import { type ClusterPorts, HISTORY_SHARDS, temporalClusterConfig } from '../infra/temporal-cluster';

const FIXED_PORTS: ClusterPorts = {
  history: { grpc: 7234, membership: 6934 },
  matching: { grpc: 7235, membership: 6935 },
  frontend: { grpc: 7233, membership: 6933 },
  worker: { grpc: 7239, membership: 6939 },
  frontendHttp: 7243,
};

// docker-compose.yml cannot run here (no Docker engine); these checks keep it consistent with the code.
interface ComposeService {
  profiles?: string[];
  secrets?: string[];
  environment?: Record<string, string>;
  command?: string[];
}
const ROOT = path.join(__dirname, '..');
const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, ComposeService>;
};
const workers = Object.entries(compose.services).filter(([, service]) => service.environment?.IDRA_WORKER_ROLES);

describe('docker-compose.yml matches the code', () => {
  it("runs a codec server that decrypts for nobody unauthenticated (it will not start without an allow-list), and a UI that sends it the browser's session", () => {
    const codec = compose.services['idra-codec-server']?.environment ?? {};
    // `${NAME:-}` as compose resolves it when NAME is unset, or set.
    const resolved = (set: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(codec).map(([key, value]) => [
          key,
          value.replace(/^\$\{(\w+):-\}$/, (_all, name: string) => set[name] ?? ''),
        ]),
      );
    expect(() => codecAccessFromEnv(resolved({}))).toThrow('the codec server would decrypt for nobody');
    // The codec server holds the login-link secret, never the one that signs analysts' decisions.
    expect(compose.services['idra-codec-server']?.secrets).toEqual(['idra-codec-keys', 'idra-codec-login-secret']);
    const secretFile = path.join(ROOT, 'test', 'fixtures', 'codec-login-secret.test');
    const access = codecAccessFromEnv({
      ...resolved({ IDRA_CODEC_ALLOWED_USERS: 'alice@example.com' }),
      IDRA_CODEC_LOGIN_SECRET_FILE: secretFile,
    });
    expect([access.allowed, access.token, access.verifyLoginToken === undefined]).toEqual([
      new Set(['alice@example.com']),
      undefined,
      false,
    ]);
    expect(compose.services['temporal-ui']?.environment?.TEMPORAL_CODEC_INCLUDE_CREDENTIALS).toBe('true');
  });

  it('configures every worker in a way the worker accepts', () => {
    expect(workers.length).toBeGreaterThan(0);
    for (const [, service] of workers) expect(() => workerConfigFromEnv(service.environment)).not.toThrow();
  });

  it("serves the responses and guard queues always, each provider's queue in its own profile, and every queue in the demo", () => {
    const rolesIn = (profile: string) =>
      new Set(
        workers
          .filter(([, service]) => !service.profiles || service.profiles.includes(profile))
          .flatMap(([, service]) => service.environment?.IDRA_WORKER_ROLES?.split(',') ?? []),
      );
    for (const provider of PROVIDER_IDS) expect(rolesIn(provider)).toEqual(new Set(['responses', 'guard', provider]));
    expect(rolesIn('demo')).toEqual(new Set(WORKER_ROLES));
  });

  it('copies every folder the workers load into the image', () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const copied = [...dockerfile.matchAll(/^COPY (\w+) /gm)].map((match) => match[1]);
    const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8')) as { include: string[] };
    // The local harness (infra/), scripts, benchmark and tests stay out of the image.
    const runtime = tsconfig.include.filter(
      (entry) =>
        ![
          'infra',
          'scripts',
          'bench',
          'test',
          'vitest.config.mts',
          'vitest.fleet.config.mts',
          'eslint.config.mjs',
        ].includes(entry),
    );
    expect(copied).toEqual(expect.arrayContaining(runtime));
  });

  it('registers exactly the search attributes the workflow sets', () => {
    const script = compose.services['temporal-setup']?.command?.join(' ') ?? '';
    const names = /for name in ([\w ]+);/.exec(script)?.[1]?.trim().split(/\s+/);
    expect(names).toEqual(SEARCH_ATTRIBUTE_KEYS.map((key) => key.name));
  });

  it('runs the Temporal server the fleet runs here: the same version, PostgreSQL plugin and history shards', () => {
    const script = fs.readFileSync(path.join(ROOT, 'scripts', 'ensure-temporal-server.sh'), 'utf8');
    const version = /^version="([\d.]+)"$/m.exec(script)?.[1];
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    const image = (service: string) => (compose.services[service] as { image?: string } | undefined)?.image;
    expect(image('temporal')).toBe(`temporalio/auto-setup:${version}`);
    expect(image('temporal-setup')).toBe(`temporalio/admin-tools:${version}`);
    const config = temporalClusterConfig({ host: '127.0.0.1', port: 5432 }, FIXED_PORTS, '/dynamicconfig.yaml');
    const temporal = compose.services.temporal?.environment ?? {};
    expect(temporal.DB).toBe(config.persistence.datastores['postgres-default'].sql.pluginName);
    // The shard count is fixed when a cluster's database is first set up: compose and the fleet agree on it.
    expect(Number(temporal.NUM_HISTORY_SHARDS)).toBe(config.persistence.numHistoryShards);
    expect(config.persistence.numHistoryShards).toBe(HISTORY_SHARDS);
  });

  it('the fleet serves every worker role, the busy ones with more than one process', () => {
    expect(Object.keys(FLEET_REPLICAS).sort()).toEqual([...WORKER_ROLES].sort());
    expect(FLEET_REPLICAS.responses).toBeGreaterThan(1);
    expect(FLEET_REPLICAS.aws).toBeGreaterThan(1);
    expect(() => fleetWorkers('/logs', { responses: 1, billing: 1 })).toThrow(
      `unknown worker role "billing" (known: ${WORKER_ROLES.join(', ')})`,
    );
  });

  it('reads the Temporal connection from the standard environment configuration (mTLS, API key)', () => {
    const target = temporalTarget({
      TEMPORAL_ADDRESS: 'idra.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'idra-prod.a1b2c',
      TEMPORAL_API_KEY: 'key-123',
    });
    expect(target).toMatchObject({
      namespace: 'idra-prod.a1b2c',
      connectionOptions: { address: 'idra.a1b2c.tmprl.cloud:7233', apiKey: 'key-123', tls: true },
    });
    const mtls = temporalTarget({
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_TLS_CLIENT_CERT_DATA: 'CERT',
      TEMPORAL_TLS_CLIENT_KEY_DATA: 'KEY',
    });
    expect(mtls.connectionOptions.tls).toMatchObject({
      clientCertPair: { crt: new TextEncoder().encode('CERT'), key: new TextEncoder().encode('KEY') },
    });
    expect(temporalTarget({})).toMatchObject({
      namespace: 'default',
      connectionOptions: { address: '127.0.0.1:7233' },
    });
  });

  it('runs workers and the codec server from the build, whose sources exist', () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const entries = [
      /CMD \[.*"dist\/([\w/.]+)\.js"\]/.exec(dockerfile)?.[1],
      /\bdist\/([\w/.]+)\.js$/.exec(compose.services['idra-codec-server']?.command?.join(' ') ?? '')?.[1],
    ];
    expect(entries).toEqual(['workers/main', 'codec/main']);
    for (const entry of entries) expect(fs.existsSync(path.join(ROOT, `${entry}.ts`))).toBe(true);
  });
});
