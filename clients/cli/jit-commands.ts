import type { Command } from 'commander';
import { identitySchema, incidentId } from '../../model/identity';
import { jitDecisionShapeProblems, jitRequestShapeProblems } from '../../model/jit';
import { parseOrThrow } from '../../model/validation';
import { formatGrant, formatResponse } from '../format-response';
import type { IdraClient } from '../idra-client';
import { print, readJsonFile, UsageError, withClient } from './io';

type DecisionOptions = { as: string; reason: string; json?: boolean };

/** Refused before connecting: a bad message changes nothing, even with no server to reach. */
function checked<Input>(input: Input, problems: (input: Input) => string[]): Input {
  const found = problems(input);
  if (found.length) throw new UsageError(found.join('; '));
  return input;
}

/**
 * The path an owner names: its incident id, or a file holding the identity itself (as a signal names it),
 * whose just-in-time response's id follows from it.
 */
function pathOf(target: string): string {
  if (target.startsWith('idra-')) return target;
  return incidentId(parseOrThrow(identitySchema, readJsonFile(target), 'identity'), 'just_in_time');
}

const GRANT_DECISIONS: [
  name: string,
  help: string,
  send: keyof Pick<IdraClient, 'jitApprove' | 'jitDeny' | 'jitRevoke'>,
][] = [
  ['approve', 'approve a request (enough approvers: the grant is written with its end)', 'jitApprove'],
  ['deny', 'deny a request: nothing is granted', 'jitDeny'],
  ['revoke', 'end an active grant now (approvers, or whoever asked for it)', 'jitRevoke'],
];

/** idra jit request | approve | deny | revoke | status | end: a just_in_time response's path. */
export function addJitCommands(program: Command): void {
  const jit = program
    .command('jit')
    .description('a just-in-time path: ask for a privilege for a while, decide, revoke, see its grants, end it');

  jit
    .command('request')
    .description("ask for a privilege for a while; the path's approvers decide")
    .argument('<incident|identity.json>', 'the just_in_time response (idra-jit-...), or a file with the identity')
    .requiredOption('--privilege <name>', 'the privilege, as the playbook names it')
    .requiredOption('--for <duration>', "how long, e.g. 30m (at most the playbook's maxDuration)")
    .requiredOption('--reason <text>', 'why')
    .requiredOption('--as <requester>', "who asks: the identity's owner, or a requester the playbook names")
    .option('--json', 'print machine-readable output')
    .action(
      (target: string, options: { privilege: string; for: string; reason: string; as: string; json?: boolean }) => {
        const incident = pathOf(target);
        return withClient(
          checked(
            { requester: options.as, privilege: options.privilege, duration: options.for, reason: options.reason },
            jitRequestShapeProblems,
          ),
          async (idra, request) => {
            const grant = await idra.jitRequest(incident, request);
            print(
              options.json,
              grant,
              `${formatGrant(grant)}\napprove it: idra jit approve ${incident} ${grant.id} --as <approver> --reason "..."`,
            );
          },
        );
      },
    );

  for (const [name, help, send] of GRANT_DECISIONS)
    jit
      .command(name)
      .description(help)
      .argument('<incident>', 'the just_in_time response')
      .argument('<grant>', 'the grant, e.g. grant-1 (idra jit status lists them)')
      .requiredOption('--as <analyst>', 'who decides')
      .requiredOption('--reason <text>', 'why')
      .option('--json', 'print machine-readable output')
      .action((incident: string, grant: string, options: DecisionOptions) =>
        withClient(
          checked({ grant, analyst: options.as, reason: options.reason }, jitDecisionShapeProblems),
          async (idra, decision) => {
            const answer = await idra[send](incident, decision);
            print(options.json, answer, formatGrant(answer));
          },
        ),
      );

  jit
    .command('status')
    .description("the path's grants: requested, active (with their end), expired, revoked, denied")
    .argument('<incident>', 'the just_in_time response')
    .option('--json', 'print machine-readable output')
    .action((incident: string, options: { json?: boolean }) =>
      withClient(incident, async (idra) => {
        const view = await idra.status(incident);
        const grants = view.jitGrants ?? [];
        print(
          options.json,
          grants,
          grants.length ? grants.map(formatGrant).join('\n') : `${view.incident} (${view.state}): no grants yet`,
        );
      }),
    );

  jit
    .command('end')
    .description(
      'end the path: --restore puts the standing privilege back exactly, --keep leaves it off; active grants are revoked',
    )
    .argument('<incident>', 'the just_in_time response')
    .option('--restore', 'put the standing privilege back as it was')
    .option('--keep', 'keep the standing privilege off for good')
    .requiredOption('--as <analyst>', 'who decides (an approver)')
    .requiredOption('--reason <text>', 'why')
    .option('--json', 'print machine-readable output')
    .action((incident: string, options: DecisionOptions & { restore?: boolean; keep?: boolean }) => {
      if (Boolean(options.restore) === Boolean(options.keep))
        throw new UsageError('say --restore or --keep (one of them)');
      return withClient({ analyst: options.as, reason: options.reason }, async (idra, request) => {
        const view = await idra.decide(options.restore ? 'rollback' : 'confirm', incident, request);
        print(options.json, view, formatResponse(view));
      });
    });
}
