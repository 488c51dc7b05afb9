import fc from 'fast-check';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { UsageError, readJsonFile } from '../clients/cli/io';
import { recordSignal } from '../clients/idra-client';
import { createCodecServer } from '../codec/codec-server';
import { createCodecAccess } from '../codec/codec-access';
import { codecAccessFromEnv } from '../codec/codec-access-config';
import { EncryptionCodec } from '../codec/encryption-codec';
import { parseYaml } from '../config/yaml-file';
import { decisionRequestProblems } from '../model/decision';
import { responseInputSchema } from '../model/response-input';
import { signalSchema } from '../model/signal';
import { describeIssues, ValidationError } from '../model/validation';
import { inventorySchema } from '../policy/inventory';
import { playbookSchema } from '../policy/playbook';
import { TOOL_TOKEN, toolAuthorization } from './support/codec-access';

/** 10,000 generated cases per surface, from a fixed seed: a failure names the seed and path to replay it. */
const RUNS = { numRuns: 10_000, seed: 20261127 };
/** No error message grows with the input: hostile input is named, not echoed. */
const MAX_MESSAGE = 4_000;

const CLI = path.join(__dirname, '..', 'bin', 'idra.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idra-hostile-'));

const VALID_SIGNAL = {
  source: 'github-secret-scanning',
  type: 'credential.leaked',
  severity: 'critical',
  observedAt: '2026-11-26T10:00:00Z',
  identity: {
    provider: 'aws',
    kind: 'access_key',
    account: '123456789012',
    userName: 'ci-deployer',
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  },
  evidence: { summary: 'AWS access key committed to acme/payments@3f2c1e' },
};

/** JSON text nested `depth` levels, built as text: hostile input goes to 20,000 levels, deeper than JSON.stringify can. */
function nested(depth: number): string {
  return `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;
}

const MEGABYTE = 'x'.repeat(1024 * 1024);
const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '', '\u0000', MEGABYTE.slice(0, 5000)),
  fc.string(),
);
/**
 * What an attacker puts in a field, as JSON text: anything JSON can say, and the shapes that break parsers
 * (nesting up to `maxDepth` levels: 20,000 for JSON; the YAML parser takes a second per deep case, so
 * there it is sampled by a few fixed cases instead).
 */
function hostileValueNesting(maxDepth: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        JSON.stringify(MEGABYTE),
        '1e308',
        '-1e999',
        '9007199254740993',
        '-0',
        '"\uFEFF"',
        '"\u0000"',
        '"\uD800"',
        '"2026-02-30T25:61:00Z"',
      ),
    },
    { weight: 1, arbitrary: fc.integer({ min: 9, max: maxDepth }).map(nested) },
    {
      weight: 1,
      arbitrary: fc
        .dictionary(hostileKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 })
        .map((value) => JSON.stringify(value)),
    },
  );
}
const hostileValue = hostileValueNesting(20_000);

/** `object`'s JSON with `field` set to the JSON text `value` (added last: a duplicate key, which JSON.parse lets win). */
function withField(object: object, field: string, value: string): string {
  return `${JSON.stringify(object).slice(0, -1)},${JSON.stringify(field)}:${value}}`;
}

/** A valid signal, as JSON text, with one field (anywhere in it) replaced or added, or something else entirely. */
const hostileSignal: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        'source',
        'type',
        'severity',
        'observedAt',
        'identity',
        'evidence',
        'id',
        'requestedBy',
        '__proto__',
        'extra',
      ),
      hostileValue,
    )
    .map(([field, value]) => withField(VALID_SIGNAL, field, value)),
  fc
    .tuple(fc.constantFrom('provider', 'kind', 'account', 'userName', 'accessKeyId', '__proto__'), hostileValue)
    .map(([field, value]) =>
      withField({ ...VALID_SIGNAL, identity: undefined }, 'identity', withField(VALID_SIGNAL.identity, field, value)),
    ),
  fc
    .tuple(fc.constantFrom('summary', 'url', 'details', 'constructor'), hostileValue)
    .map(([field, value]) =>
      withField({ ...VALID_SIGNAL, evidence: undefined }, 'evidence', withField(VALID_SIGNAL.evidence, field, value)),
    ),
  hostileValue,
);

/** Parsed as a detector's JSON would be (so `__proto__` arrives as JSON.parse makes it), or undefined if it is not JSON. */
function parsedJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

function expectBoundedProblem(message: string): void {
  expect(message.length).toBeLessThan(MAX_MESSAGE);
  expect(message).not.toContain(MEGABYTE.slice(0, 200));
}

function expectNoPollution(): void {
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  expect(Object.keys(Object.prototype)).toEqual([]);
}

describe('hostile input at scale: a clean error naming the problem, never a crash, a hang or an echo', () => {
  it('signals (HTTP ingest and the client): valid, or a ValidationError naming each bad field', () => {
    fc.assert(
      fc.property(hostileSignal, (text) => {
        const input = parsedJson(text);
        if (!input) return;
        try {
          const signal = recordSignal(input.value);
          expect(signalSchema.safeParse(signal).success).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          expect((error as Error).message).toMatch(/^invalid signal:\n {2}- /);
          expectBoundedProblem((error as Error).message);
        }
        expectNoPollution();
      }),
      RUNS,
    );
  });

  it('idra respond --file: any bytes (BOM, NUL, invalid UTF-8) end in a usage or validation error (exit 2)', () => {
    const file = path.join(dir, 'signal.json');
    const contents = fc.oneof(
      hostileSignal.map((text) => Buffer.from(text)),
      hostileSignal.map((text) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
      fc
        .string()
        .map((text) =>
          Buffer.from(`{"source": "${text}\u0000", "type": "credential.leaked", "type": "credential.leaked"}`),
        ),
    );
    fc.assert(
      fc.property(contents, (bytes) => {
        fs.writeFileSync(file, bytes);
        try {
          recordSignal(readJsonFile(file));
        } catch (error) {
          expect(error instanceof UsageError || error instanceof ValidationError).toBe(true);
          expectBoundedProblem((error as Error).message);
        }
        expectNoPollution();
      }),
      RUNS,
    );
  });

  it('the CLI itself: the nesting and size that used to crash it or be echoed exit 2 with a short message', async () => {
    const run = promisify(execFile);
    for (const [name, input] of [
      [
        'deep',
        withField(
          { ...VALID_SIGNAL, evidence: undefined },
          'evidence',
          withField({ summary: 'x' }, 'details', `{"d":${nested(10_000)}}`),
        ),
      ],
      ['huge', withField(VALID_SIGNAL, 'severity', JSON.stringify(MEGABYTE))],
      [
        'pollution',
        `{"__proto__": {"polluted": true}, ${JSON.stringify({ ...VALID_SIGNAL, severity: 'urgent' }).slice(1)}`,
      ],
    ] as const) {
      const file = path.join(dir, `${name}.json`);
      fs.writeFileSync(file, input);
      const failed = await run(process.execPath, [CLI, 'respond', '--file', file]).catch(
        (error: { code: number; stderr: string }) => error,
      );
      expect(failed).toMatchObject({ code: 2 });
      const { stderr } = failed as { stderr: string };
      expect(stderr.length).toBeLessThan(MAX_MESSAGE);
      expect(stderr).not.toMatch(/^\s+at /m);
      expect(stderr).toMatch(/^idra: invalid signal:/);
    }
  });

  /** A schema a workflow checks its own input with: on any JSON it never throws, and names the problem. */
  const zodProblems = (schema: z.ZodType) => (value: unknown) => {
    const parsed = schema.safeParse(value);
    return parsed.success ? [] : describeIssues(parsed.error.issues);
  };
  const checksAnyJson = (problemsOf: (value: unknown) => string[], texts: fc.Arbitrary<string>) =>
    fc.assert(
      fc.property(texts, (text) => {
        const input = parsedJson(text);
        if (!input) return;
        const problems = problemsOf(input.value);
        if (problems.length) expectBoundedProblem(problems.join('; '));
        expectNoPollution();
      }),
      RUNS,
    );

  it("workflow input given directly to Temporal: the workflow's own check never throws, and names the problem", () => {
    checksAnyJson(
      zodProblems(responseInputSchema),
      fc.oneof(
        hostileSignal.map((signal) => `{"signal":${signal}}`),
        hostileValue,
      ),
    );
  });

  it("decision requests (signals and updates from the UI with any JSON): the handlers' check never throws", () => {
    checksAnyJson(
      decisionRequestProblems,
      fc.oneof(
        fc
          .tuple(hostileValue, hostileValue, hostileValue)
          .map(([analyst, reason, assertion]) => `{"analyst":${analyst},"reason":${reason},"assertion":${assertion}}`),
        fc
          .tuple(hostileKey, hostileValue)
          .map(([key, value]) => withField({ analyst: 'alice@example.com', reason: 'r' }, key, value)),
        hostileValue,
      ),
    );
  });

  it('playbooks and inventory YAML: problems, never an exception (alias bombs and deep nesting included)', () => {
    const aliasBomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...Array.from(
        { length: 8 },
        (_, index) =>
          `${String.fromCharCode(98 + index)}: &${String.fromCharCode(98 + index)} [*${String.fromCharCode(97 + index)}, *${String.fromCharCode(97 + index)}, *${String.fromCharCode(97 + index)}, *${String.fromCharCode(97 + index)}]`,
      ),
    ].join('\n');
    const text = fc.oneof(
      { weight: 50, arbitrary: fc.string({ maxLength: 300 }) },
      // JSON is YAML: hostile values in a playbook's and an inventory's fields.
      {
        weight: 50,
        arbitrary: hostileValueNesting(64).map(
          (value) => `{"id": "p", "version": 1, "match": ${value}, "steps": ${value}}`,
        ),
      },
      {
        weight: 50,
        arbitrary: hostileValueNesting(64).map((value) => `{"groups": ${value}, "defaults": {"approverGroup": "x"}}`),
      },
      // Slow to parse on purpose (an alias bomb, 20,000 levels): about 70 of the 10,000 cases.
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          aliasBomb,
          `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
          'a: 1\na: 2',
          '\uFEFFid: x',
          '!!js/function "return 1"',
        ),
      },
    );
    fc.assert(
      fc.property(text, (yaml) => {
        for (const schema of [playbookSchema, inventorySchema] as const) {
          const { value, problems } = parseYaml(yaml, schema as typeof playbookSchema, 'hostile.yaml');
          if (!value) {
            expect(problems.length).toBeGreaterThan(0);
            expectBoundedProblem(problems.slice(0, 20).join('\n'));
          }
        }
        expectNoPollution();
      }),
      RUNS,
    );
  });

  describe("the codec server's /decode and /encode", () => {
    let endpoint: string;
    let close: () => Promise<void>;
    beforeAll(async () => {
      const server = createCodecServer({
        codec: new EncryptionCodec({ primaryKeyId: 'k', keys: new Map([['k', randomBytes(32)]]) }),
        allowedOrigin: 'http://localhost:8233',
        access: createCodecAccess(
          codecAccessFromEnv({
            IDRA_CODEC_SERVER_TOKEN: TOOL_TOKEN,
            IDRA_CODEC_ALLOWED_USERS: 'alice@example.com',
            IDRA_CODEC_LOGIN_SECRET_FILE: process.env.IDRA_CODEC_LOGIN_SECRET_FILE,
          }),
        ),
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      close = () => new Promise((resolve) => server.close(() => resolve()));
    });
    afterAll(() => close());

    const FIXED_ERRORS = [
      'the body is not JSON',
      'body must be {"payloads": [...]}',
      'at most 1000 payloads per request',
      'payloads must be Temporal JSON payloads ({"metadata": {...}, "data": "<base64>"})',
      "the payloads cannot be decoded with this server's keys",
      "the payloads cannot be encoded with this server's keys",
    ];

    it('answers any body with a result or one of its fixed errors: nothing of the body is echoed', async () => {
      const body = fc.oneof(
        hostileValue.map((value) => `{"payloads": ${value}}`),
        fc
          .array(
            fc.record({
              metadata: fc.dictionary(hostileKey, fc.string()),
              data: fc.oneof(fc.base64String(), fc.string()),
            }),
            { maxLength: 3 },
          )
          .map((payloads) => JSON.stringify({ payloads })),
        fc.string({ maxLength: 200 }),
      );
      await fc.assert(
        fc.asyncProperty(body, fc.constantFrom('/decode', '/encode'), async (text, operation) => {
          const response = await fetch(`${endpoint}${operation}`, {
            method: 'POST',
            body: text,
            headers: { 'content-type': 'application/json', ...toolAuthorization },
          });
          const answer = (await response.json()) as { error?: string; payloads?: unknown[] };
          if (response.status === 200) expect(Array.isArray(answer.payloads)).toBe(true);
          else expect(FIXED_ERRORS).toContain(answer.error);
        }),
        RUNS,
      );
    }, 120_000);

    it('answers any login link token with 401 and a fixed sentence: no session, nothing echoed', async () => {
      const token = fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.base64String({ maxLength: 400 }),
        fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map((parts) => parts.join('.')),
      );
      await fc.assert(
        fc.asyncProperty(token, async (text) => {
          const response = await fetch(`${endpoint}/login?token=${encodeURIComponent(text)}`, { redirect: 'manual' });
          expect([response.status, response.headers.get('set-cookie'), await response.json()]).toEqual([
            401,
            null,
            { error: 'the login link is invalid or expired: ask for a new one (idra codec-login)' },
          ]);
        }),
        RUNS,
      );
    }, 120_000);
  });
});
