import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { AZURE_SUBSCRIPTIONS, AZURE_TENANT, createAzurePrincipal, denyAzureOperations } from './support/azure';

// The local Azure's behaviour, pinned by request/response pairs from the API references (ARM role
// assignments 2022-04-01, Microsoft Graph v1.0, Key Vault secrets), over HTTPS with this run's CA.

const SUB = AZURE_SUBSCRIPTIONS[0]!;
const auth = { authorization: 'Bearer contract-test', 'content-type': 'application/json' };
const READER = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = auth) {
  const response = await fetch(`${inject('azureEndpoint')}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    json: (text ? JSON.parse(text) : undefined) as Record<string, unknown> | undefined,
    challenge: response.headers.get('www-authenticate'),
  };
}

const assignmentPath = (scope: string, name: string) =>
  `/${scope}/providers/Microsoft.Authorization/roleAssignments/${name}?api-version=2022-04-01`;

describe('local Azure: the REST contract of the calls idra makes', () => {
  it('ARM: PUT creates (201) with the resource shape; the same role again under another name is 409 RoleAssignmentExists; GET of none is 404 RoleAssignmentNotFound; DELETE of none is 204', async () => {
    const principal = await createAzurePrincipal();
    const name = randomUUID();
    // The SDK sends a scope's leading slash as a second one: `//subscriptions/...`.
    const created = await call('PUT', assignmentPath(`/subscriptions/${SUB}`, name), {
      properties: { roleDefinitionId: READER, principalId: principal.id, principalType: 'ServicePrincipal' },
    });
    expect(created).toMatchObject({
      status: 201,
      json: {
        id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments/${name}`,
        name,
        type: 'Microsoft.Authorization/roleAssignments',
        properties: { roleDefinitionId: READER, principalId: principal.id, scope: `/subscriptions/${SUB}` },
      },
    });
    expect(
      await call('PUT', assignmentPath(`/subscriptions/${SUB}`, randomUUID()), {
        properties: { roleDefinitionId: READER, principalId: principal.id },
      }),
    ).toMatchObject({
      status: 409,
      json: { error: { code: 'RoleAssignmentExists', message: 'The role assignment already exists.' } },
    });
    const missing = randomUUID();
    expect(await call('GET', assignmentPath(`/subscriptions/${SUB}`, missing))).toMatchObject({
      status: 404,
      json: { error: { code: 'RoleAssignmentNotFound', message: `The role assignment '${missing}' is not found.` } },
    });
    expect((await call('DELETE', assignmentPath(`/subscriptions/${SUB}`, missing))).status).toBe(204);
    expect((await call('DELETE', assignmentPath(`/subscriptions/${SUB}`, name))).status).toBe(200);
    expect(
      (
        await call(
          'GET',
          `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments?api-version=2021-01-01`,
        )
      ).json,
    ).toMatchObject({ error: { code: 'InvalidApiVersionParameter' } });
  });

  it('ARM: listForScope by principal pages with an absolute nextLink, at and below the scope', async () => {
    const roles = ['Owner', 'Contributor', 'Reader', 'User Access Administrator'].map((role, index) => ({
      scope: `/subscriptions/${SUB}/resourceGroups/rg-${index}`,
      role,
    }));
    const principal = await createAzurePrincipal({ roles });
    const first = await call(
      'GET',
      `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=${encodeURIComponent(`principalId eq '${principal.id}'`)}`,
    );
    expect((first.json?.value as unknown[]).length).toBe(3);
    const next = first.json?.nextLink as string;
    expect(next).toMatch(
      new RegExp(
        `^${inject('azureEndpoint')}/subscriptions/${SUB}/providers/Microsoft\\.Authorization/roleAssignments\\?`,
      ),
    );
    const second = await call('GET', next.slice(inject('azureEndpoint').length));
    expect((second.json?.value as unknown[]).length).toBe(1);
    expect(second.json).not.toHaveProperty('nextLink');
  });

  it('ARM: role assignments at resource scope (a storage account, a container in it) are created, read, listed under the subscription and deleted', async () => {
    const principal = await createAzurePrincipal();
    const account = `subscriptions/${SUB}/resourceGroups/data/providers/Microsoft.Storage/storageAccounts/ledger`;
    const container = `${account}/blobServices/default/containers/logs`;
    const name = randomUUID();
    const properties = { roleDefinitionId: READER, principalId: principal.id, principalType: 'ServicePrincipal' };
    expect(await call('PUT', assignmentPath(`/${container}`, name), { properties })).toMatchObject({
      status: 201,
      json: {
        id: `/${container}/providers/Microsoft.Authorization/roleAssignments/${name}`,
        properties: { scope: `/${container}` },
      },
    });
    expect((await call('GET', assignmentPath(`/${container}`, name))).status).toBe(200);
    // Not the same assignment one level up.
    expect((await call('GET', assignmentPath(`/${account}`, name))).status).toBe(404);
    const listed = await call(
      'GET',
      `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=${encodeURIComponent(`principalId eq '${principal.id}'`)}`,
    );
    expect(listed.json?.value).toEqual([expect.objectContaining({ name })]);
    expect((await call('DELETE', assignmentPath(`/${container}`, name))).status).toBe(200);
    expect((await call('GET', assignmentPath(`/${container}`, name))).status).toBe(404);
  });

  it('ARM: a request without api-version is 400 MissingApiVersionParameter; an unsupported one is 400 InvalidApiVersionParameter', async () => {
    const path = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments`;
    expect(await call('GET', path)).toMatchObject({
      status: 400,
      json: { error: { code: 'MissingApiVersionParameter' } },
    });
    expect(await call('GET', `${path}?api-version=2015-07-01`)).toMatchObject({
      status: 400,
      json: { error: { code: 'InvalidApiVersionParameter' } },
    });
  });

  it('PIM: AdminAssign with an end makes a time-bound active assignment and its schedule; under 5 minutes is 400 ActiveDurationTooShort; a second is 409; removal within 5 minutes is refused; Self requests fail the EligibilityRule', async () => {
    const principal = await createAzurePrincipal();
    const scope = `/subscriptions/${SUB}`;
    const requestPath = (name: string) =>
      `/${scope}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${name}?api-version=2020-10-01`;
    const ask = (requestType: string, duration?: string) => ({
      properties: {
        principalId: principal.id,
        roleDefinitionId: READER,
        requestType,
        justification: 'contract',
        ...(duration
          ? {
              scheduleInfo: {
                startDateTime: new Date().toISOString(),
                expiration: { type: 'AfterDuration', duration },
              },
            }
          : {}),
      },
    });
    expect(await call('PUT', requestPath(randomUUID()), ask('AdminAssign', 'PT4M'))).toMatchObject({
      status: 400,
      json: {
        error: {
          code: 'ActiveDurationTooShort',
          message: 'The Active duration is too short. Minimum required is 5 minutes.',
        },
      },
    });
    const name = randomUUID();
    const created = await call('PUT', requestPath(name), ask('AdminAssign', 'PT1H'));
    expect(created).toMatchObject({
      status: 201,
      json: {
        name,
        type: 'Microsoft.Authorization/RoleAssignmentScheduleRequests',
        properties: { requestType: 'AdminAssign', status: 'Provisioned', principalId: principal.id, scope },
      },
    });
    const schedules = await call(
      'GET',
      `/${scope}/providers/Microsoft.Authorization/roleAssignmentSchedules?api-version=2020-10-01&$filter=${encodeURIComponent(`principalId eq '${principal.id}'`)}`,
    );
    const [schedule] = (schedules.json?.value ?? []) as {
      properties: { endDateTime: string; assignmentType: string };
    }[];
    expect(schedule?.properties.assignmentType).toBe('Assigned');
    expect(Date.parse(schedule?.properties.endDateTime ?? '') - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(await call('PUT', requestPath(name), ask('AdminAssign', 'PT1H'))).toMatchObject({
      status: 409,
      json: { error: { code: 'RoleAssignmentRequestExists' } },
    });
    expect(await call('PUT', requestPath(randomUUID()), ask('AdminAssign', 'PT1H'))).toMatchObject({
      status: 409,
      json: { error: { code: 'RoleAssignmentExists' } },
    });
    expect(await call('PUT', requestPath(randomUUID()), ask('AdminRemove'))).toMatchObject({
      status: 400,
      json: { error: { code: 'ActiveDurationTooShort' } },
    });
    expect(await call('PUT', requestPath(randomUUID()), ask('SelfActivate', 'PT1H'))).toMatchObject({
      status: 400,
      json: {
        error: {
          code: 'RoleAssignmentRequestPolicyValidationFailed',
          message: 'The following policy rules failed: ["EligibilityRule"]',
        },
      },
    });
    expect(await call('POST', requestPath(name).replace('?', '/cancel?'))).toMatchObject({
      status: 400,
      json: { error: { code: 'RoleAssignmentRequestNotCancellable' } },
    });
    expect(await call('GET', requestPath(randomUUID()))).toMatchObject({
      status: 404,
      json: { error: { code: 'RoleAssignmentScheduleRequestNotFound' } },
    });
    expect(
      (await call('PUT', requestPath(randomUUID()).replace('2020-10-01', '2022-04-01'), ask('AdminAssign', 'PT1H')))
        .status,
    ).toBe(400);
  });

  it('Graph: addPassword honours a requested endDateTime (and refuses one in the past)', async () => {
    const principal = await createAzurePrincipal();
    const end = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const added = await call('POST', `/v1.0/servicePrincipals/${principal.id}/addPassword`, {
      passwordCredential: { displayName: 'short', endDateTime: end },
    });
    expect(added.json).toMatchObject({ displayName: 'short', endDateTime: end });
    expect(
      await call('POST', `/v1.0/servicePrincipals/${principal.id}/addPassword`, {
        passwordCredential: { endDateTime: '2001-01-01T00:00:00Z' },
      }),
    ).toMatchObject({ status: 400, json: { error: { code: 'Request_BadRequest' } } });
  });

  it('Graph: a service principal with its password credentials (secrets never shown); PATCH is 204; addPassword shows the secret once; removePassword of an unknown key is 400', async () => {
    const principal = await createAzurePrincipal({ passwords: 1 });
    const got = await call('GET', `/v1.0/servicePrincipals/${principal.id}`);
    expect(got.json).toMatchObject({
      id: principal.id,
      accountEnabled: true,
      passwordCredentials: [{ keyId: principal.passwordKeyIds[0], secretText: null }],
    });
    expect((await call('PATCH', `/v1.0/servicePrincipals/${principal.id}`, { accountEnabled: false })).status).toBe(
      204,
    );
    const added = await call('POST', `/v1.0/servicePrincipals/${principal.id}/addPassword`, {
      passwordCredential: { displayName: 'ci' },
    });
    expect(added.json).toMatchObject({
      displayName: 'ci',
      keyId: expect.any(String) as string,
      secretText: expect.stringMatching(/^.{30,}$/) as string,
    });
    expect((await call('GET', `/v1.0/servicePrincipals/${principal.id}`)).json?.passwordCredentials).toEqual(
      expect.arrayContaining([expect.objectContaining({ keyId: added.json?.keyId, secretText: null })]),
    );
    expect(
      (await call('POST', `/v1.0/servicePrincipals/${principal.id}/removePassword`, { keyId: added.json?.keyId }))
        .status,
    ).toBe(204);
    expect(
      (await call('POST', `/v1.0/servicePrincipals/${principal.id}/removePassword`, { keyId: randomUUID() })).json,
    ).toMatchObject({
      error: { code: 'Request_BadRequest', innerError: { 'request-id': expect.any(String) as string } },
    });
    expect((await call('GET', `/v1.0/servicePrincipals/${randomUUID()}`)).json).toMatchObject({
      error: { code: 'Request_ResourceNotFound' },
    });
    const managed = await createAzurePrincipal({ managed: true });
    expect((await call('PATCH', `/v1.0/servicePrincipals/${managed.id}`, { accountEnabled: false })).status).toBe(400);
  });

  it('Key Vault: a request without a token gets the authentication challenge; set, list versions (no values), soft delete, purge', async () => {
    const unauthenticated = await call(
      'PUT',
      '/secrets/contract?api-version=7.5',
      { value: 'x' },
      { 'content-type': 'application/json' },
    );
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.challenge).toBe(
      `Bearer authorization="https://login.microsoftonline.com/${AZURE_TENANT}", resource="https://127.0.0.1"`,
    );
    const name = `contract-${randomUUID().slice(0, 8)}`;
    const set = await call('PUT', `/secrets/${name}?api-version=7.5`, { value: 's3cret', tags: { a: 'b' } });
    expect(set.json).toMatchObject({
      value: 's3cret',
      id: expect.stringMatching(new RegExp(`/secrets/${name}/[0-9a-f]{32}$`)) as string,
      tags: { a: 'b' },
    });
    const versions = await call('GET', `/secrets/${name}/versions?api-version=7.5`);
    expect(JSON.stringify(versions.json)).not.toContain('s3cret');
    expect((await call('DELETE', `/secrets/${name}?api-version=7.5`)).json).toMatchObject({
      recoveryId: expect.stringContaining(`/deletedsecrets/${name}`) as string,
    });
    expect((await call('PUT', `/secrets/${name}?api-version=7.5`, { value: 'again' })).json).toMatchObject({
      error: { code: 'Conflict' },
    });
    expect((await call('GET', `/secrets/${name}?api-version=7.5`)).json).toMatchObject({
      error: { code: 'SecretNotFound' },
    });
    expect((await call('DELETE', `/deletedsecrets/${name}?api-version=7.5`)).status).toBe(204);
    expect((await call('GET', `/deletedsecrets/${name}?api-version=7.5`)).json).toMatchObject({
      error: { code: 'DeletedSecretNotFound' },
    });
  });

  it('missing tokens and missing permissions, each API in its own words', async () => {
    expect(
      (
        await call(
          'GET',
          `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`,
          undefined,
          {},
        )
      ).json,
    ).toEqual({
      error: { code: 'AuthenticationFailed', message: "Authentication failed. The 'Authorization' header is missing." },
    });
    const principal = await createAzurePrincipal();
    const worker = { ...auth, authorization: `Bearer ${process.env.AZURE_ACCESS_TOKEN}` };
    await denyAzureOperations(['Microsoft.Authorization/roleAssignments/write', 'graph:Application.ReadWrite.All']);
    try {
      const denied = await call(
        'PUT',
        assignmentPath(`/subscriptions/${SUB}`, randomUUID()),
        { properties: { roleDefinitionId: READER, principalId: principal.id } },
        worker,
      );
      expect(denied).toMatchObject({ status: 403, json: { error: { code: 'AuthorizationFailed' } } });
      expect((denied.json?.error as { message: string }).message).toContain(
        "perform action 'Microsoft.Authorization/roleAssignments/write' over scope",
      );
      expect(
        await call('PATCH', `/v1.0/servicePrincipals/${principal.id}`, { accountEnabled: false }, worker),
      ).toMatchObject({ status: 403, json: { error: { code: 'Authorization_RequestDenied' } } });
      // Another caller keeps its permissions.
      expect((await call('PATCH', `/v1.0/servicePrincipals/${principal.id}`, { accountEnabled: true })).status).toBe(
        204,
      );
    } finally {
      await denyAzureOperations([]);
    }
  });
});
