import { createPrivateKey } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { seedGcp } from '../infra/gcp-emulator';
import { denyGcpPermissions } from './support/gcp';

// The local GCP server's behaviour, pinned by request/response pairs from the API reference (IAM v1, IAM v2,
// Resource Manager v3, Secret Manager v1), so a test passing against it means something. Raw HTTP here:
// what the official clients send and expect is covered by the action and response tests.

// A caller of its own; the worker's token (GOOGLE_OAUTH_ACCESS_TOKEN) is the one the failure switch aims at.
const auth = { authorization: 'Bearer contract-test', 'content-type': 'application/json' };

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = auth,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${inject('gcpEndpoint')}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function project(keys = 1) {
  const projectId = `contract-${Math.random().toString(16).slice(2, 10)}`;
  const [seeded] = await seedGcp(inject('gcpEndpoint'), [
    { projectId, serviceAccounts: [{ accountId: 'etl-runner', keys }] },
  ]);
  const account = seeded!.serviceAccounts[0]!;
  return {
    projectId,
    email: account.email,
    keyIds: account.keyIds,
    accountPath: `/v1/projects/${projectId}/serviceAccounts/${account.email}`,
  };
}

const denyCollection = (projectId: string) =>
  `/v2/policies/${encodeURIComponent(encodeURIComponent(`cloudresourcemanager.googleapis.com/projects/${projectId}`))}/denypolicies`;

describe('local GCP server: the REST contract of the calls idra makes', () => {
  it("refuses a call without a bearer token: 401 UNAUTHENTICATED in Google's error shape", async () => {
    const { accountPath } = await project();
    expect(await call('GET', accountPath, undefined, {})).toEqual({
      status: 401,
      json: {
        error: {
          code: 401,
          message: 'Request is missing required authentication credential. Expected OAuth 2 access token.',
          status: 'UNAUTHENTICATED',
        },
      },
    });
  });

  it('IAM v1: serviceAccounts.get, disable/enable; a missing account is 404 NOT_FOUND', async () => {
    const { projectId, email, accountPath } = await project();
    const got = await call('GET', accountPath);
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({
      name: `projects/${projectId}/serviceAccounts/${email}`,
      projectId,
      email,
      displayName: 'etl-runner',
    });
    expect(got.json).not.toHaveProperty('disabled');
    expect(await call('POST', `${accountPath}:disable`, {})).toEqual({ status: 200, json: {} });
    expect((await call('GET', accountPath)).json.disabled).toBe(true);
    expect(await call('POST', `${accountPath}:enable`, {})).toEqual({ status: 200, json: {} });
    expect(
      await call('GET', `/v1/projects/${projectId}/serviceAccounts/nobody@${projectId}.iam.gserviceaccount.com`),
    ).toEqual({
      status: 404,
      json: {
        error: {
          code: 404,
          message: `Service account projects/${projectId}/serviceAccounts/nobody@${projectId}.iam.gserviceaccount.com not found.`,
          status: 'NOT_FOUND',
        },
      },
    });
  });

  it('IAM v1: keys.create returns the key file once; at most 10 user-managed keys (400 FAILED_PRECONDITION); disable shows on get', async () => {
    const { accountPath, keyIds } = await project(9);
    const created = await call('POST', `${accountPath}/keys`, {});
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      privateKeyType: 'TYPE_GOOGLE_CREDENTIALS_FILE',
      keyType: 'USER_MANAGED',
      keyOrigin: 'GOOGLE_PROVIDED',
    });
    const keyFile = JSON.parse(Buffer.from(created.json.privateKeyData as string, 'base64').toString('utf8')) as {
      private_key: string;
    };
    expect(keyFile).toMatchObject({
      type: 'service_account',
      private_key_id: (created.json.name as string).split('/').pop(),
      token_uri: 'https://oauth2.googleapis.com/token',
    });
    // A real RSA key: Google's auth library can sign a token request with it.
    expect(createPrivateKey(keyFile.private_key).asymmetricKeyType).toBe('rsa');
    const refused = await call('POST', `${accountPath}/keys`, {});
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatchObject({ code: 400, status: 'FAILED_PRECONDITION' });
    expect(await call('POST', `${accountPath}/keys/${keyIds[0]}:disable`, {})).toEqual({ status: 200, json: {} });
    const listed = (await call('GET', `${accountPath}/keys?keyTypes=USER_MANAGED`)).json.keys as {
      name: string;
      disabled?: boolean;
    }[];
    expect(listed).toHaveLength(10);
    expect(listed.find((key) => key.name.endsWith(keyIds[0]!))?.disabled).toBe(true);
    expect(listed.filter((key) => key.disabled)).toHaveLength(1);
  });

  it("IAM v2: a permission named with its v1 service where deny policies name another (resourcemanager for cloudresourcemanager) is refused, as Google's list has it", async () => {
    const { projectId, email } = await project();
    const rule = (permission: string) => [
      {
        denyRule: {
          deniedPrincipals: [`principal://iam.googleapis.com/projects/-/serviceAccounts/${email}`],
          deniedPermissions: [permission],
        },
      },
    ];
    const refused = await call('POST', `${denyCollection(projectId)}?policyId=misnamed`, {
      rules: rule('resourcemanager.googleapis.com/projects.setIamPolicy'),
    });
    expect(refused.json.error).toMatchObject({
      code: 400,
      status: 'INVALID_ARGUMENT',
      message: 'Permission resourcemanager.googleapis.com/projects.setIamPolicy is not valid.',
    });
    const accepted = await call('POST', `${denyCollection(projectId)}?policyId=named`, {
      rules: rule('cloudresourcemanager.googleapis.com/projects.setIamPolicy'),
    });
    expect(accepted.json).toMatchObject({ done: true });
  });

  it('IAM v2: deny policies under a double-encoded attachment point; create and delete are finished operations; etags guard deletes', async () => {
    const { projectId, email } = await project();
    const rules = [
      {
        denyRule: {
          deniedPrincipals: [`principal://iam.googleapis.com/projects/-/serviceAccounts/${email}`],
          deniedPermissions: ['iam.googleapis.com/serviceAccountKeys.create'],
        },
      },
    ];
    const created = await call(
      'POST',
      `${denyCollection(projectId)}?policyId=quarantine-1&$alt=json%3Benum-encoding=int`,
      { displayName: 'q', rules },
    );
    const name = `policies/cloudresourcemanager.googleapis.com%2Fprojects%2F${projectId}/denypolicies/quarantine-1`;
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      done: true,
      metadata: { '@type': 'type.googleapis.com/google.iam.v2.PolicyOperationMetadata' },
      response: { '@type': 'type.googleapis.com/google.iam.v2.Policy', name, kind: 'DenyPolicy', rules },
    });
    expect(
      (await call('POST', `${denyCollection(projectId)}?policyId=quarantine-1`, { rules })).json.error,
    ).toMatchObject({ code: 409, status: 'ALREADY_EXISTS' });
    const bare = await call('POST', `${denyCollection(projectId)}?policyId=too-broad`, {
      rules: [{ denyRule: { deniedPrincipals: ['principalSet://goog/public:all'], deniedPermissions: ['*'] } }],
    });
    expect(bare.json.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    const policy = (await call('GET', `${denyCollection(projectId)}/quarantine-1`)).json;
    expect(policy).toMatchObject({ name, rules });
    expect((await call('DELETE', `${denyCollection(projectId)}/quarantine-1?etag=stale`)).json.error).toMatchObject({
      code: 409,
      status: 'ABORTED',
    });
    expect(
      (
        await call(
          'DELETE',
          `${denyCollection(projectId)}/quarantine-1?etag=${encodeURIComponent(policy.etag as string)}`,
        )
      ).json,
    ).toMatchObject({ done: true });
    expect((await call('GET', `${denyCollection(projectId)}/quarantine-1`)).status).toBe(404);
  });

  it('Resource Manager v3: getIamPolicy gives a base64 etag; setIamPolicy with a stale one is 409 ABORTED; conditions need version 3; a policy without conditions is version 1', async () => {
    const { projectId, email } = await project();
    const read = await call('POST', `/v3/projects/${projectId}:getIamPolicy`, {
      options: { requestedPolicyVersion: 3 },
    });
    expect(read.json).toEqual({ version: 1, etag: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) as string });
    const bindings = [{ role: 'roles/viewer', members: [`serviceAccount:${email}`] }];
    const written = await call('POST', `/v3/projects/${projectId}:setIamPolicy`, {
      policy: { version: 3, etag: read.json.etag, bindings },
    });
    // Written as version 3, served as version 1: nothing in it needs more.
    expect(written.json).toMatchObject({ version: 1, bindings });
    expect(written.json.etag).not.toBe(read.json.etag);
    expect(
      (
        await call('POST', `/v3/projects/${projectId}:setIamPolicy`, {
          policy: { version: 3, etag: read.json.etag, bindings: [] },
        })
      ).json.error,
    ).toMatchObject({ code: 409, status: 'ABORTED' });
    const conditional = await call('POST', `/v3/projects/${projectId}:setIamPolicy`, {
      policy: { version: 1, bindings: [{ ...bindings[0], condition: { expression: 'true' } }] },
    });
    expect(conditional.json.error).toMatchObject({
      code: 400,
      status: 'INVALID_ARGUMENT',
      message: 'Conditional role bindings require policy version 3.',
    });
    const current = await call('POST', `/v3/projects/${projectId}:getIamPolicy`, {
      options: { requestedPolicyVersion: 3 },
    });
    const withCondition = await call('POST', `/v3/projects/${projectId}:setIamPolicy`, {
      policy: {
        version: 3,
        etag: current.json.etag,
        // A predefined role: IAM Conditions cannot hold basic ones.
        bindings: [{ ...bindings[0], role: 'roles/run.viewer', condition: { title: 't', expression: 'true' } }],
      },
    });
    expect(withCondition.json).toMatchObject({ version: 3 });
  });

  it('Secret Manager v1: create, add a version, access it, annotate, delete; a duplicate is 409 ALREADY_EXISTS', async () => {
    const { projectId } = await project();
    const secret = `projects/${projectId}/secrets/s1`;
    expect(
      (await call('POST', `/v1/projects/${projectId}/secrets?secretId=s1`, { replication: { automatic: {} } })).json,
    ).toMatchObject({ name: secret, replication: { automatic: {} } });
    expect(
      (await call('POST', `/v1/projects/${projectId}/secrets?secretId=s1`, { replication: { automatic: {} } })).json
        .error,
    ).toMatchObject({ code: 409, status: 'ALREADY_EXISTS' });
    expect((await call('POST', `/v1/${secret}:addVersion`, { payload: { data: 'aGVsbG8=' } })).json).toMatchObject({
      name: `${secret}/versions/1`,
      state: 1,
    });
    expect((await call('GET', `/v1/${secret}/versions/latest:access`)).json).toEqual({
      name: `${secret}/versions/1`,
      payload: { data: 'aGVsbG8=' },
    });
    expect(
      (await call('PATCH', `/v1/${secret}?updateMask=annotations`, { annotations: { a: 'b' } })).json,
    ).toMatchObject({ annotations: { a: 'b' } });
    expect(await call('DELETE', `/v1/${secret}`)).toEqual({ status: 200, json: {} });
    expect((await call('GET', `/v1/${secret}`)).json.error).toMatchObject({ code: 404, status: 'NOT_FOUND' });
  });

  it('the failure switch: a permission the caller (by token) lacks is 403 PERMISSION_DENIED naming it; other callers keep it', async () => {
    const { accountPath } = await project();
    await denyGcpPermissions(['iam.serviceAccounts.disable']);
    try {
      expect(
        await call(
          'POST',
          `${accountPath}:disable`,
          {},
          { ...auth, authorization: `Bearer ${process.env.GOOGLE_OAUTH_ACCESS_TOKEN}` },
        ),
      ).toEqual({
        status: 403,
        json: {
          error: {
            code: 403,
            message: "Permission 'iam.serviceAccounts.disable' denied on resource (or it may not exist).",
            status: 'PERMISSION_DENIED',
          },
        },
      });
      expect(
        (
          await call('GET', accountPath, undefined, {
            ...auth,
            authorization: `Bearer ${process.env.GOOGLE_OAUTH_ACCESS_TOKEN}`,
          })
        ).status,
      ).toBe(200);
      expect(await call('POST', `${accountPath}:disable`, {})).toEqual({ status: 200, json: {} });
    } finally {
      await denyGcpPermissions([]);
    }
  });

  it("Resource Manager v3: testIamPermissions answers from the caller's bindings, conditions evaluated at the request's time", async () => {
    const { projectId, email } = await project();
    const member = `serviceAccount:${email}`;
    const stamp = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
    const until = (offsetMs: number) => ({
      title: 'jit',
      expression: `request.time < timestamp("${stamp(offsetMs)}")`,
    });
    await seedGcp(inject('gcpEndpoint'), [
      {
        projectId,
        bindings: [
          { role: 'roles/viewer', members: [member] },
          { role: 'roles/run.viewer', members: [member], condition: until(60_000) },
          { role: 'roles/run.admin', members: [member], condition: until(-1_000) },
          {
            role: 'roles/run.admin',
            members: [member],
            condition: { title: 'odd', expression: 'resource.name == "x"' },
          },
        ],
      },
    ]);
    const token = `member-${projectId}`;
    await call('POST', '/emulator/tokens', { token, member });
    const asked = ['resourcemanager.projects.get', 'run.services.get', 'run.services.update'];
    const as = { ...auth, authorization: `Bearer ${token}` };
    // Viewer always, run.viewer until its end, run.admin never: its end passed, and a condition it cannot evaluate grants nothing.
    expect(await call('POST', `/v3/projects/${projectId}:testIamPermissions`, { permissions: asked }, as)).toEqual({
      status: 200,
      json: { permissions: ['resourcemanager.projects.get', 'run.services.get'] },
    });
    // IAM Conditions cannot be used with basic roles.
    expect(
      await call('POST', `/v3/projects/${projectId}:setIamPolicy`, {
        policy: { version: 3, bindings: [{ role: 'roles/editor', members: [member], condition: until(60_000) }] },
      }),
    ).toEqual({
      status: 400,
      json: {
        error: {
          code: 400,
          message: 'Role roles/editor is a basic role: conditional role bindings are not supported for basic roles.',
          status: 'INVALID_ARGUMENT',
        },
      },
    });
    expect(
      await call('POST', `/v3/projects/${projectId}:testIamPermissions`, { permissions: ['iam.roles.delete'] }, as),
    ).toEqual({ status: 200, json: {} });
    expect(
      (await call('POST', `/v3/projects/${projectId}:testIamPermissions`, { permissions: 'all' }, as)).status,
    ).toBe(400);
  });
});
