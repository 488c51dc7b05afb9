import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { Command, CommanderError } from 'commander';
import fs from 'node:fs';
import { ValidationError } from '../../model/validation';
import { connectFromEnv } from '../connect';
import { formatResponse } from '../format-response';
import { type IdraClient, recordSignal } from '../idra-client';

/** Exit codes: 0 done, 1 could not be done (server, not found, denied), 2 bad input. */
class UsageError extends Error {}

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

async function withClient<T>(input: T, run: (idra: IdraClient, input: T) => Promise<void>): Promise<void> {
  const { idra, close } = await connectFromEnv();
  try {
    await run(idra, input);
  } finally {
    await close();
  }
}

function print(json: boolean, value: unknown, text: string): void {
  console.log(json ? JSON.stringify(value, null, 2) : text);
}

const program = new Command('idra')
  .description('Identity response automation for non-human identities (on Temporal)')
  .showHelpAfterError()
  .exitOverride();

program
  .command('respond')
  .description('start a response to a detection signal (or join the open one for the same identity)')
  .requiredOption('-f, --file <signal.json>', 'the signal, as JSON')
  .option('--json', 'print machine-readable output')
  .action((options: { file: string; json?: boolean }) =>
    // Validated before connecting: a bad signal is refused even when no server is reachable.
    withClient(recordSignal(readJsonFile(options.file)), async (idra, signal) => {
      const result = await idra.respond(signal);
      const verb = result.joined ? 'joined the open response' : 'started response';
      print(!!options.json, result, `${verb} ${result.incident} (run ${result.runId})\nsee it: idra status ${result.incident}`);
    }),
  );

for (const kind of ['approve', 'rollback'] as const) {
  program
    .command(kind)
    .description(kind === 'approve' ? 'keep the containment and close the response' : 'undo every change the response made')
    .argument('<incident>', 'the incident id printed by `idra respond`')
    .requiredOption('--as <analyst>', 'who decides')
    .requiredOption('--reason <text>', 'why')
    .option('--json', 'print machine-readable output')
    .action((incident: string, options: { as: string; reason: string; json?: boolean }) =>
      withClient({ analyst: options.as, reason: options.reason }, async (idra, request) => {
        const view = await idra[kind](incident, request);
        print(!!options.json, view, formatResponse(view));
      }),
    );
}

program
  .command('status')
  .description('show the response: state, plan, signals and every change with before/after')
  .argument('<incident>', 'the incident id printed by `idra respond`')
  .option('--json', 'print machine-readable output')
  .action((incident: string, options: { json?: boolean }) =>
    withClient(incident, async (idra) => {
      const view = await idra.status(incident);
      print(!!options.json, view, formatResponse(view));
    }),
  );

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof UsageError || error instanceof ValidationError) {
    console.error(`idra: ${error.message}`);
    return 2;
  }
  if (error instanceof WorkflowUpdateFailedError) {
    console.error(`idra: denied: ${error.cause?.message ?? error.message}`);
    return 1;
  }
  if (error instanceof WorkflowNotFoundError) {
    console.error(`idra: no open response ${error.workflowId ?? ''}: it does not exist or has already closed (idra status shows a closed one)`);
    return 1;
  }
  console.error(`idra: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}

program.parseAsync(process.argv).catch((error: unknown) => {
  process.exitCode = exitCodeFor(error);
});
