import type { Command } from 'commander';
import { DECISION_KINDS, type DecisionKind } from '../../model/response';
import { auditOf } from '../audit/audit-from-history';
import { renderAudit, AUDIT_FORMATS, type AuditFormat } from '../audit/render';
import { formatResponse } from '../format-response';
import { recordSignal } from '../idra-client';
import { print, readJsonFile, UsageError, withClient } from './io';

const DECISION_HELP: Record<DecisionKind, string> = {
  approve: 'approve: contain a response waiting for approval, or keep the containment and run the after-approval steps',
  confirm: 'keep the containment (cancels a TTL) and close the response, or acknowledge drift after a rollback',
  reject: 'drop a response that waits for approval before acting: nothing is changed',
  rollback: 'undo every change the response made, in reverse (again: retry the undos that failed)',
  cancel: "stop the response: undo what it applied (or keep it, as the playbook's onCancel says) and close it",
};

/** respond, approve / confirm / reject / rollback, status, audit. */
export function addResponseCommands(program: Command): void {
  program
    .command('respond')
    .description('start a response to a detection signal (or join the open one for the same identity)')
    .requiredOption('-f, --file <signal.json>', 'the signal, as JSON')
    .option('--as <analyst>', 'who raises the signal by hand (under four-eyes they cannot approve it)')
    .option('--json', 'print machine-readable output')
    .action((options: { file: string; as?: string; json?: boolean }) => {
      const input = readJsonFile(options.file);
      const withRequester =
        options.as && typeof input === 'object' && input !== null ? { ...input, requestedBy: options.as } : input;
      // Validated before connecting: a bad signal is refused even when no server is reachable.
      return withClient(recordSignal(withRequester), async (idra, signal) => {
        const result = await idra.respond(signal);
        const verb = result.joined ? 'joined the open response' : 'started response';
        print(
          options.json,
          result,
          `${verb} ${result.incident} (run ${result.runId})\nsee it: idra status ${result.incident}`,
        );
      });
    });

  for (const kind of DECISION_KINDS) {
    program
      .command(kind)
      .description(DECISION_HELP[kind])
      .argument('<incident>', 'the incident id printed by `idra respond`')
      .requiredOption('--as <analyst>', 'who decides (must be in the approver group)')
      .requiredOption('--reason <text>', 'why')
      .option('--json', 'print machine-readable output')
      .action((incident: string, options: { as: string; reason: string; json?: boolean }) =>
        withClient({ analyst: options.as, reason: options.reason }, async (idra, request) => {
          const view = await idra.decide(kind, incident, request);
          print(options.json, view, formatResponse(view));
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
        print(options.json, view, formatResponse(view));
      }),
    );

  program
    .command('audit')
    .description("the response's workflow history as a reviewer's timeline")
    .argument('<incident>', 'the incident id')
    .option('--format <format>', `one of ${AUDIT_FORMATS.join(', ')}`, 'md')
    .action((incident: string, options: { format: string }) => {
      if (!(AUDIT_FORMATS as readonly string[]).includes(options.format)) {
        throw new UsageError(`unknown audit format "${options.format}" (one of: ${AUDIT_FORMATS.join(', ')})`);
      }
      return withClient(options.format as AuditFormat, async (idra, format) => {
        console.log(renderAudit(await auditOf(idra.client, incident, idra.dataConverter), format));
      });
    });
}
