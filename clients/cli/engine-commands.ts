import type { Command } from 'commander';
import { localSigningSecret } from '../../auth/auth-config';
import { codecLoginSecret } from '../../codec/codec-login-secret';
import { loadResponseConfig } from '../../config/load-response-config';
import { configLocations } from '../../config/locations';
import { durationMs } from '../../model/duration';
import { durationSchema } from '../../model/duration-schema';
import { GUARD_WORKFLOW_ID, type GuardLimits, type GuardStatus, guardLimitsProblems } from '../../model/guard';
import { incidentOfSignal } from '../../model/identity';
import { quoted } from '../../model/quoted';
import { parseOrThrow, ValidationError } from '../../model/validation';
import { planFor } from '../../policy/resolve';
import { PROVIDER_IDS, providerDefinition, workerPermissions } from '../../providers/catalog';
import { actionsText, describeActions } from '../action-catalog';
import { formatPlan } from '../format-response';
import { recordSignal } from '../idra-client';
import { print, readJsonFile, UsageError, withClient } from './io';

function parseTags(pairs: string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new UsageError(`--tag takes key=value, not "${pair}"`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

/** actions, permissions, plan, pause / resume / guard (and guard set). */
export function addEngineCommands(program: Command): void {
  program
    .command('actions')
    .description('list every action: provider, reversibility, identity kinds, permissions, parameters')
    .option('--json', 'print machine-readable output (parameters as JSON Schema)')
    .action((options: { json?: boolean }) => {
      const actions = describeActions();
      print(options.json, actions, actionsText(actions));
    });

  program
    .command('permissions')
    .description("print the least-privilege policy a provider's worker needs, derived from the actions")
    .argument('<provider>', `one of ${PROVIDER_IDS.join(', ')}`)
    .action((provider: string) => {
      if (!PROVIDER_IDS.includes(provider))
        throw new UsageError(`unknown provider "${provider}" (one of: ${PROVIDER_IDS.join(', ')})`);
      console.log(JSON.stringify(providerDefinition(provider).workerPolicy(workerPermissions(provider)), null, 2));
    });

  program
    .command('plan')
    .description('dry run: which actions a signal would trigger, on which targets, under which rules; changes nothing')
    .requiredOption('-f, --file <signal.json>', 'the signal, as JSON')
    .option('--tag <key=value...>', "the identity's provider tags, as the worker would read them (not read here)", [])
    .option(
      '--credentials <count>',
      'how many credentials of its kind the identity holds now (e.g. 2 access keys), as the worker would read it',
    )
    .option('--json', 'print machine-readable output')
    .action((options: { file: string; tag: string[]; credentials?: string; json?: boolean }) => {
      const signal = recordSignal(readJsonFile(options.file));
      const { playbooksDir, inventoryFile } = configLocations();
      const incident = incidentOfSignal(signal);
      const config = loadResponseConfig({ playbooksDir, inventoryFile });
      const credentials = options.credentials === undefined ? undefined : Number(options.credentials);
      if (credentials !== undefined && !(Number.isInteger(credentials) && credentials >= 0))
        throw new UsageError(`--credentials takes a whole number, not "${options.credentials}"`);
      const plan = planFor(config, {
        signal,
        incident,
        facts: { tags: parseTags(options.tag), credentials },
        now: new Date().toISOString(),
      });
      if (!plan) {
        print(
          options.json,
          { incident, plan: null },
          `incident     ${incident}\nno playbook matches this signal: a response would change nothing`,
        );
        return;
      }
      print(options.json, { incident, plan }, [`incident     ${incident}`, ...formatPlan(plan)].join('\n'));
    });

  program
    .command('token')
    .description(
      "mint a single-use analyst token with this machine's signing secret (the demo's; with SSO, tokens come from the identity provider)",
    )
    .requiredOption('--as <analyst>', 'the analyst the token is for (its subject)')
    .requiredOption(
      '--incident <incident>',
      `the incident it decides on (${GUARD_WORKFLOW_ID} for pause, resume and guard set)`,
    )
    .option(
      '--ttl <duration>',
      'how long it is valid, e.g. 5m (workers accept at most IDRA_AUTH_MAX_TOKEN_LIFETIME, default 10m)',
      '5m',
    )
    .action(async (options: { as: string; incident: string; ttl: string }) => {
      const secret = localSigningSecret();
      if (!secret)
        throw new UsageError(
          'no local signing secret: set IDRA_AUTH_HS256_SECRET_FILE (npm start creates a development one)',
        );
      const { mintAnalystToken } = await import('../../auth/mint-token');
      console.log(
        await mintAnalystToken(secret, { analyst: options.as, incident: options.incident, ttl: options.ttl }),
      );
    });

  program
    .command('codec-login')
    .description(
      'print a single-use link that signs a browser in to the codec server, so the Temporal UI shows payloads decrypted',
    )
    .requiredOption('--as <person>', "who signs in (must be in the codec server's IDRA_CODEC_ALLOWED_USERS)")
    .option(
      '--codec-url <url>',
      'the codec server, as the browser reaches it',
      process.env.IDRA_CODEC_URL ?? 'http://localhost:8888',
    )
    .action(async (options: { as: string; codecUrl: string }) => {
      const secret = codecLoginSecret();
      if (!secret)
        throw new UsageError(
          "no login-link secret: set IDRA_CODEC_LOGIN_SECRET_FILE, the codec server's (npm start creates a development one)",
        );
      if (!/^https?:\/\/[^\s/]+/.test(options.codecUrl))
        throw new UsageError(`--codec-url must be an http(s) URL, not ${quoted(options.codecUrl)}`);
      const { codecLoginLink } = await import('../../codec/login-link');
      console.log(await codecLoginLink(options.codecUrl, secret, options.as));
    });

  for (const [command, description] of [
    ['pause', 'kill switch: from now on every response waits for approval before changing anything'],
    ['resume', 'lift the kill switch: responses may contain automatically again (within the blast-radius limits)'],
  ] as const) {
    program
      .command(command)
      .description(description)
      .requiredOption('--as <analyst>', 'who')
      .requiredOption('--reason <text>', 'why')
      .option('--json', 'print machine-readable output')
      .action((options: { as: string; reason: string; json?: boolean }) =>
        withClient({ analyst: options.as, reason: options.reason }, async (idra, request) => {
          const status = await idra[command](request);
          print(
            options.json,
            status,
            status.pause
              ? `automatic actions paused by ${status.pause.analyst} at ${status.pause.at}`
              : 'automatic actions enabled',
          );
        }),
      );
  }

  const guard = program
    .command('guard')
    .description(
      'show the kill switch, the blast-radius limits and the automatic containments counted in the window ending now',
    )
    .option('--json', 'print machine-readable output')
    .action((options: { json?: boolean }) =>
      withClient(undefined, async (idra) => {
        const status = await idra.guardStatus();
        print(options.json, status, formatGuardStatus(status));
      }),
    );

  guard
    .command('set')
    .description(
      "change the blast-radius limits (a decision: your verified token is needed, and it is recorded in the guard's history)",
    )
    .requiredOption('--per-account <count>', 'automatic containments allowed per account within the window')
    .requiredOption('--total <count>', 'automatic containments allowed overall within the window')
    .requiredOption('--window <duration>', 'the window, e.g. 10m')
    .requiredOption('--as <analyst>', 'who')
    .requiredOption('--reason <text>', 'why')
    .option('--json', 'print machine-readable output')
    .action(
      (options: { perAccount: string; total: string; window: string; as: string; reason: string; json?: boolean }) => {
        const limits: GuardLimits = {
          perAccount: wholeNumber('--per-account', options.perAccount),
          total: wholeNumber('--total', options.total),
          windowMs: durationMs(parseOrThrow(durationSchema, options.window, '--window')),
        };
        const problems = guardLimitsProblems(limits);
        if (problems.length) throw new ValidationError('limits', problems);
        return withClient({ analyst: options.as, reason: options.reason }, async (idra, request) => {
          const status = await idra.setGuardLimits(request, limits);
          print(options.json, status, formatGuardStatus(status));
        });
      },
    );
}

function wholeNumber(option: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${option} takes a whole number, not "${text}"`);
  return Number(text);
}

function formatGuardStatus(status: GuardStatus): string {
  const counts =
    Object.entries(status.admittedByAccount)
      .map(([account, count]) => `${account}: ${count}`)
      .join(', ') || 'none';
  const { limits, limitsSetBy } = status;
  return [
    status.pause
      ? `PAUSED by ${status.pause.analyst} at ${status.pause.at}: ${status.pause.reason}`
      : 'automatic actions enabled',
    limits
      ? `limits: ${limits.perAccount} per account, ${limits.total} overall within ${Math.round(limits.windowMs / 1000)}s (set by ${limitsSetBy?.by} at ${limitsSetBy?.at})`
      : 'limits: none yet (the guard has not started)',
    `as of ${status.asOf}: automatic containments in window: ${counts}; sent to approval: ${status.deniedInWindow}`,
  ].join('\n');
}
