import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadInventory } from '../config/load-inventory';
import { loadPlaybooks } from '../config/load-playbooks';
import { loadResponseConfig } from '../config/load-response-config';
import { ConfigError } from '../config/yaml-file';
import { RESPONSE_KINDS } from '../model/response-kinds';
import { SIGNAL_TYPES } from '../model/signal-types';
import { workerConfigFromEnv } from '../workers/config';
import { createWorkers } from '../workers/create-workers';
import { createUser, userState } from './support/aws';
import { leakSignal } from './support/signals';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'idra.js');

const valid = {
  id: 'leak',
  version: 1,
  match: { types: ['credential.leaked'], kinds: ['access_key'] },
  steps: ['aws.accessKey.deactivate', { parallel: ['aws.user.quarantine', 'aws.identity.tag'] }],
  afterApproval: ['aws.accessKey.delete'],
  decision: { timeout: '24h' },
};

const JIT = {
  grant: 'aws.identity.grantTimeBoxed',
  privileges: { admin: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
  maxDuration: '1h',
};

/** A just_in_time playbook, without its path (`jit`). */
const JIT_PLAYBOOK = {
  kind: 'just_in_time',
  match: { types: ['privilege.anomalous_use'], kinds: ['role'] },
  steps: ['aws.identity.detachStanding'],
  afterApproval: [],
};

function playbookDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idra-playbooks-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function problemsOf(files: Record<string, string>): string[] {
  const dir = playbookDir(files);
  try {
    loadPlaybooks(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((problem) => problem.replace(`${dir}${path.sep}`, ''));
  }
  return [];
}

const withChanges = (changes: Record<string, unknown>) => ({ 'p.yaml': stringify({ ...valid, ...changes }) });

describe('playbooks are validated at load, with file, field and reason', () => {
  it('loads a valid playbook with its defaults filled in', () => {
    const [playbook] = loadPlaybooks(playbookDir({ 'p.yaml': stringify(valid) }));
    expect(playbook).toMatchObject({
      kind: 'contain',
      priority: 0,
      onFailure: 'hold',
      approval: { required: 1, fourEyes: false, beforeContainment: false },
      decision: { onTimeout: 'stay_contained' },
    });
  });

  it('loads the shipped playbooks and inventory', () => {
    expect(
      loadPlaybooks(path.join(ROOT, 'playbooks'))
        .map((playbook) => playbook.id)
        .sort(),
    ).toEqual([
      'agent-anomalous-tool-call',
      'agent-credential-leaked',
      'aws-access-key-anomalous-use',
      'aws-leaked-access-key',
      'aws-role-agent-tool-call',
      'aws-role-privilege-anomaly',
      'aws-role-session-compromised',
      'azure-sp-leaked-secret',
      'azure-sp-privilege-anomaly',
      'gcp-leaked-sa-key',
      'gcp-sa-anomalous',
      'github-ci-integration-secrets',
      'github-deploy-key-suspicious',
      'github-integration-suspicious',
      'github-oauth-token-leaked',
      'github-token-leaked',
      'jit-azure-privileged-automation',
      'jit-gcp-privileged-automation',
      'jit-privileged-automation',
    ]);
    expect(loadInventory(path.join(ROOT, 'inventory', 'inventory.yaml')).defaults.approverGroup).toBe(
      'security-oncall',
    );
  });

  const cases: [string, Record<string, string>, (string | RegExp)[]][] = [
    [
      'YAML syntax',
      { 'p.yaml': 'id: [unclosed\n' },
      ['p.yaml: line 2: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ],
    ['duplicate key', { 'p.yaml': 'id: a\nid: b\n' }, ['p.yaml: line 2: Map keys must be unique']],
    ['missing id', { 'p.yaml': stringify({ ...valid, id: undefined }) }, ['p.yaml: id: is required']],
    ['bad id', withChanges({ id: 'Leak Key' }), ['p.yaml: id: must be lower-case letters, digits and dashes']],
    ['version zero', withChanges({ version: 0 }), ['p.yaml: version: must be a positive whole number']],
    ['unknown field', withChanges({ stepz: [] }), ['p.yaml: (root): unknown field(s) "stepz"']],
    [
      'unknown signal type',
      withChanges({ match: { types: ['leak'], kinds: ['access_key'] } }),
      [`p.yaml: match.types.0: Invalid option: expected one of ${SIGNAL_TYPES.map((type) => `"${type}"`).join('|')}`],
    ],
    [
      'bad duration',
      withChanges({ decision: { timeout: '1 day' } }),
      ['p.yaml: decision.timeout: must be a positive whole duration such as "500ms", "90s", "15m", "24h" or "7d"'],
    ],
    [
      'no steps',
      withChanges({ steps: [], afterApproval: [] }),
      ['p.yaml: steps: must contain at least one step (or afterApproval must)'],
    ],
    [
      'one-action parallel group',
      withChanges({ steps: [{ parallel: ['aws.accessKey.deactivate'] }] }),
      ['p.yaml: steps.0.parallel: must list at least two actions'],
    ],
    [
      'unknown action',
      withChanges({ steps: ['aws.accessKey.disable'] }),
      [
        'p.yaml: steps: unknown action "aws.accessKey.disable" (aws actions: aws.accessKey.deactivate, aws.accessKey.delete, aws.accessKey.rotate, aws.user.quarantine, aws.role.quarantine, aws.role.revokeSessions, aws.role.readOnly, aws.identity.detachStanding, aws.identity.grantTimeBoxed, aws.identity.tag)',
      ],
    ],
    [
      'action for another identity kind',
      withChanges({ steps: ['aws.role.readOnly'] }),
      ['p.yaml: steps: action "aws.role.readOnly" cannot act on identity kind access_key (it acts on: role)'],
    ],
    [
      'irreversible action before approval',
      withChanges({ steps: ['aws.accessKey.delete'], afterApproval: [] }),
      [
        'p.yaml: steps: action "aws.accessKey.delete" is irreversible: it may only run after approval (move it to afterApproval)',
      ],
    ],
    [
      'action twice',
      withChanges({ steps: ['aws.accessKey.deactivate', 'aws.accessKey.deactivate'] }),
      ['p.yaml: steps: action "aws.accessKey.deactivate" appears more than once'],
    ],
    [
      'escalation without a group',
      withChanges({ decision: { timeout: '1h', onTimeout: 'escalate' } }),
      ['p.yaml: decision.escalateTo: is required when decision.onTimeout is escalate'],
    ],
    [
      'TTL not shorter than the timeout',
      withChanges({ ttl: '2d' }),
      ['p.yaml: ttl: must be shorter than decision.timeout (24h), or it never takes effect'],
    ],
    [
      'bad failure mode',
      withChanges({ onFailure: 'ignore' }),
      ['p.yaml: onFailure: Invalid option: expected one of "hold"|"rollback"'],
    ],
    [
      'unknown kind',
      withChanges({ kind: 'quarantine' }),
      [`p.yaml: kind: Invalid option: expected one of ${RESPONSE_KINDS.map((kind) => `"${kind}"`).join('|')}`],
    ],
    [
      'a signal type of another kind',
      withChanges({ kind: 'restrict_until_approved', afterApproval: [] }),
      ['p.yaml: match.types: credential.leaked calls for a contain response, not restrict_until_approved'],
    ],
    [
      'a restriction with steps after approval and a TTL',
      withChanges({
        kind: 'restrict_until_approved',
        match: { types: ['agent.tool_call.anomalous'], kinds: ['access_key'] },
        ttl: '1h',
      }),
      [
        'p.yaml: afterApproval: a restrict_until_approved response undoes its steps on approval: it runs nothing after it',
        "p.yaml: ttl: a restrict_until_approved response is lifted by a reviewer's approval (or decision.onTimeout), not a TTL",
      ],
    ],
    [
      'a just_in_time response without its path, and a path on a containment',
      withChanges(JIT_PLAYBOOK),
      ['p.yaml: jit: is required for a just_in_time response (the grant action and its privileges)'],
    ],
    [
      'a path on a containment',
      withChanges({ jit: JIT }),
      ['p.yaml: jit: only a just_in_time response has a just-in-time path (this one is contain)'],
    ],
    [
      'a path whose grant is no time-boxed grant, granting what it cannot, for longer than the path lives',
      withChanges({
        ...JIT_PLAYBOOK,
        steps: ['aws.identity.detachStanding', 'aws.identity.grantTimeBoxed'],
        ttl: '1h',
        decision: { timeout: '30m', onTimeout: 'escalate', escalateTo: 'leads' },
        jit: { ...JIT, grant: 'aws.role.readOnly', maxDuration: '2h' },
      }),
      [
        'p.yaml: steps: action "aws.identity.grantTimeBoxed" writes just-in-time grants: it belongs in jit.grant',
        'p.yaml: ttl: a just_in_time path ends by an analyst (or decision.onTimeout), not a TTL',
        'p.yaml: decision.onTimeout: a just_in_time path ends kept (stay_contained) or restored (rollback)',
        'p.yaml: jit.grant: "aws.role.readOnly" is not a time-boxed grant action (they are: aws.identity.grantTimeBoxed, gcp.serviceAccount.grantTimeBoxed, azure.servicePrincipal.grantTimeBoxed)',
        'p.yaml: ttl: must be shorter than decision.timeout (30m), or it never takes effect',
      ],
    ],
    [
      'privileges the grant action cannot grant, and a path that outlives its review',
      withChanges({
        ...JIT_PLAYBOOK,
        decision: { timeout: '30m' },
        jit: { ...JIT, privileges: { admin: ['AdministratorAccess'], Bad: ['x'] } },
      }),
      ['p.yaml: jit.privileges.Bad: must be a privilege name (lower-case letters, digits and dashes, at most 40)'],
    ],
    [
      'a privilege entry that is not a managed policy ARN, and a grant longer than the path',
      withChanges({
        ...JIT_PLAYBOOK,
        decision: { timeout: '30m' },
        jit: { ...JIT, privileges: { admin: ['AdministratorAccess'] } },
      }),
      [
        'p.yaml: jit.privileges.admin[0]: must be a managed policy ARN',
        'p.yaml: jit.maxDuration: must not outlast the path itself (decision.timeout 30m)',
      ],
    ],
    [
      'undecided requests escalated to no group',
      withChanges({ ...JIT_PLAYBOOK, jit: { ...JIT, onRequestTimeout: 'escalate' } }),
      ['p.yaml: jit.onRequestTimeout: escalate needs decision.escalateTo (the group undecided requests go to)'],
    ],
    [
      'options of an action the playbook does not run, or that takes none',
      withChanges({
        with: { 'aws.accessKey.delete': { x: 1 }, 'github.orgSecret.narrowRepositories': { secrets: ['A'] } },
        steps: ['aws.accessKey.deactivate'],
        afterApproval: [],
      }),
      [
        'p.yaml: with.github.orgSecret.narrowRepositories: "github.orgSecret.narrowRepositories" is not an action of this playbook',
        'p.yaml: with.aws.accessKey.delete: "aws.accessKey.delete" is not an action of this playbook',
      ].sort(),
    ],
    [
      'options an action does not take, missing or malformed',
      withChanges({
        match: { types: ['integration.traffic.suspicious'], kinds: ['app_installation'] },
        kind: 'restrict_until_approved',
        steps: ['github.orgSecret.narrowRepositories'],
        afterApproval: [],
        with: {
          'github.orgSecret.narrowRepositories': { secrets: ['GITHUB_TOKEN', '9LIVES'], repos: ['payments'] },
        },
      }),
      [
        'p.yaml: with.github.orgSecret.narrowRepositories.secrets.0: must be an Actions secret name (letters, digits and underscores, not starting with a digit or GITHUB_)',
        'p.yaml: with.github.orgSecret.narrowRepositories.secrets.1: must be an Actions secret name (letters, digits and underscores, not starting with a digit or GITHUB_)',
        'p.yaml: with.github.orgSecret.narrowRepositories.repositories: is required',
        'p.yaml: with.github.orgSecret.narrowRepositories: unknown field(s) "repos"',
      ],
    ],
    [
      'an action that needs options given none',
      withChanges({
        match: { types: ['integration.traffic.suspicious'], kinds: ['app_installation'] },
        kind: 'restrict_until_approved',
        steps: ['github.installation.suspend', 'github.orgSecret.narrowRepositories'],
        afterApproval: [],
        with: { 'github.installation.suspend': { secrets: ['A'] } },
      }),
      [
        'p.yaml: with.github.installation.suspend: action "github.installation.suspend" takes no options',
        'p.yaml: with.github.orgSecret.narrowRepositories.secrets: is required',
        'p.yaml: with.github.orgSecret.narrowRepositories.repositories: is required',
      ],
    ],
    [
      'duplicate id across files',
      { 'a.yaml': stringify(valid), 'b.yaml': stringify(valid) },
      [/^b\.yaml: id: "leak" is already used by \S+a\.yaml$/],
    ],
  ];

  it.each(cases)('refuses: %s', (_name, files, expected) => {
    expect(problemsOf(files)).toEqual(
      expected.map((problem) => (typeof problem === 'string' ? problem : (expect.stringMatching(problem) as unknown))),
    );
  });

  it('refuses an empty folder and reports every bad file at once', () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/: no playbooks \(\*\.yaml\) found$/)]);
    expect(
      problemsOf({
        'a.yaml': stringify({ ...valid, version: 0 }),
        'b.yaml': stringify({ ...valid, id: 'other', onFailure: 'x' }),
      }),
    ).toHaveLength(2);
  });

  it('the worker does not start on an invalid playbook set', async () => {
    const dir = playbookDir(withChanges({ steps: ['aws.accessKey.delete'], afterApproval: [] }));
    await expect(createWorkers(workerConfigFromEnv({ ...process.env, IDRA_PLAYBOOKS_DIR: dir }))).rejects.toThrow(
      `invalid configuration:\n  - ${dir}${path.sep}p.yaml: steps: action "aws.accessKey.delete" is irreversible: it may only run after approval (move it to afterApproval)`,
    );
    const worker = await run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'workers', 'main.ts')], {
      env: { ...process.env, IDRA_PLAYBOOKS_DIR: dir },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(worker).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('idra worker: invalid configuration:') as string,
    });
  });

  it('refuses an inventory whose groups do not exist', () => {
    const file = path.join(playbookDir({}), 'inventory.yaml');
    fs.writeFileSync(file, stringify({ groups: { oncall: ['a@example.com'] }, defaults: { approverGroup: 'nobody' } }));
    expect(() => loadInventory(file)).toThrow(`${file}: defaults.approverGroup: unknown group "nobody"`);
  });
});

describe('approval rules that cannot be met', () => {
  it('the loader refuses a playbook whose approval group has fewer members than it requires', () => {
    const dir = playbookDir({ 'leak.yaml': stringify({ ...valid, approval: { group: 'oncall', required: 3 } }) });
    const inventoryFile = path.join(dir, '..', `${path.basename(dir)}-inventory.yaml`);
    fs.writeFileSync(
      inventoryFile,
      stringify({ groups: { oncall: ['a@example.com', 'b@example.com'] }, defaults: { approverGroup: 'oncall' } }),
    );
    expect(() => loadResponseConfig({ playbooksDir: dir, inventoryFile })).toThrow(
      'playbook leak: approval.required: the approval rule cannot be met: 3 different approvers required, 2 eligible in oncall',
    );
  });

  it('idra plan says when the raiser leaves too few approvers, and what the response will do', async () => {
    const user = await createUser('unmeetable-plan', { tags: { 'test:playbook': 'unmeetable-approval' } });
    const file = path.join(playbookDir({}), 'signal.json');
    fs.writeFileSync(file, JSON.stringify(leakSignal(user, 0, { requestedBy: 'alice@example.com' })));
    const { stdout } = await run(process.execPath, [
      CLI,
      'plan',
      '--file',
      file,
      '--tag',
      'test:playbook=unmeetable-approval',
    ]);
    expect(stdout).toContain(
      'the approval rule cannot be met: 2 different approvers required, 1 eligible in pair (four-eyes excludes alice@example.com, who raised it): an approval waits escalated to security-leads at once',
    );
  });
});

describe('idra plan: a dry run with the same planning as the workflow', () => {
  it('prints the actions, targets and rules, and changes nothing', async () => {
    const user = await createUser('dry-run', { tags: { 'test:playbook': 'two-approvers' } });
    const before = await userState(user.userName);
    const file = path.join(playbookDir({}), 'signal.json');
    fs.writeFileSync(file, JSON.stringify(leakSignal(user)));
    const { stdout } = await run(process.execPath, [
      CLI,
      'plan',
      '--file',
      file,
      '--tag',
      'test:playbook=two-approvers',
    ]);
    expect(stdout).toContain('playbook     two-approvers v1');
    expect(stdout).toContain(
      `contain      1. aws.accessKey.deactivate on access key ${user.accessKeyIds[0]} of IAM user ${user.userName}`,
    );
    expect(stdout).toContain(
      'rules        approval by 2 of security-oncall (alice@example.com, bob@example.com, dana@example.com), four-eyes',
    );

    const json = JSON.parse((await run(process.execPath, [CLI, 'plan', '--file', file, '--json'])).stdout) as {
      plan: { playbook: { id: string }; stages: { action: string }[][] };
    };
    expect(json.plan.playbook.id).toBe('test-leak');
    expect(json.plan.stages.map((stage) => stage.map((step) => step.action))).toEqual([
      ['aws.accessKey.deactivate'],
      ['aws.user.quarantine', 'aws.identity.tag'],
    ]);
    expect(await userState(user.userName)).toEqual(before);
  });
});
