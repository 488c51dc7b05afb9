import { randomBytes, randomUUID } from 'node:crypto';
import { GcpError, notFound } from './errors';
import type { Request, Route } from './http';
import { type DenyPolicy, now } from './state';

// IAM v2 deny policies, as @google-cloud/iam's PoliciesClient calls them over REST. The attachment point
// is a full resource name, URL-encoded inside the policy's name and encoded again in the request path.

const ATTACHMENT = /^cloudresourcemanager\.googleapis\.com\/projects\/([a-z][a-z0-9-]{4,28}[a-z0-9])$/;
// Permissions are named per service: `service.googleapis.com/resource.verb` (a bare `*` is not one).
const PERMISSION = /^[a-z0-9.-]+\.googleapis\.com\/[A-Za-z0-9_.*]+$/;
const POLICY_ID = /^[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

function parent(request: Request, encoded: string): string {
  const once = decodeURIComponent(encoded);
  const match = ATTACHMENT.exec(decodeURIComponent(once));
  if (!match?.[1] || !request.state.projects.has(match[1]))
    throw new GcpError('INVALID_ARGUMENT', `Invalid attachment point: ${decodeURIComponent(once)}`);
  return `policies/${once}/denypolicies`;
}

/**
 * Services whose deny-policy name is not their v1 service id + `.googleapis.com` (Google's "Permissions
 * supported in deny policies"): the v1-shaped name is not a deny permission, and is refused.
 */
const V1_SHAPED_NAMES: readonly string[] = [
  'resourcemanager.googleapis.com/', // Google's: cloudresourcemanager.googleapis.com/
  'serviceusage.googleapis.com/apiKeys.', // apikeys.googleapis.com/apiKeys.
  'lookerstudio.googleapis.com/', // datastudio.googleapis.com/
  'datastore.googleapis.com/locations.', // firestore.googleapis.com/locations.
];

function validRules(rules: unknown): unknown[] {
  if (!Array.isArray(rules) || rules.length === 0)
    throw new GcpError('INVALID_ARGUMENT', 'A deny policy must contain at least one rule.');
  for (const rule of rules as { denyRule?: { deniedPrincipals?: unknown; deniedPermissions?: unknown } }[]) {
    const principals: unknown = rule.denyRule?.deniedPrincipals;
    const permissions: unknown = rule.denyRule?.deniedPermissions;
    if (!Array.isArray(principals) || principals.length === 0)
      throw new GcpError('INVALID_ARGUMENT', 'denyRule.deniedPrincipals must not be empty.');
    if (!Array.isArray(permissions) || permissions.length === 0)
      throw new GcpError('INVALID_ARGUMENT', 'denyRule.deniedPermissions must not be empty.');
    const bad = (permissions as unknown[]).find(
      (permission) => typeof permission !== 'string' || !PERMISSION.test(permission),
    );
    if (bad !== undefined)
      throw new GcpError(
        'INVALID_ARGUMENT',
        `Invalid permission ${JSON.stringify(bad)}: permissions are named service.googleapis.com/resource.verb.`,
      );
    const misnamed = (permissions as string[]).find((permission) =>
      V1_SHAPED_NAMES.some((prefix) => permission.startsWith(prefix)),
    );
    if (misnamed !== undefined) throw new GcpError('INVALID_ARGUMENT', `Permission ${misnamed} is not valid.`);
  }
  return rules as unknown[];
}

/** A finished long-running operation, as the API returns for create, update and delete. */
function operation(request: Request, collection: string, policy: DenyPolicy): unknown {
  const done = {
    name: request.state.newOperationName(collection),
    metadata: { '@type': 'type.googleapis.com/google.iam.v2.PolicyOperationMetadata', createTime: now() },
    done: true,
    response: { '@type': 'type.googleapis.com/google.iam.v2.Policy', ...policy },
  };
  request.state.operations.set(done.name, done);
  return done;
}

function find(request: Request, collection: string, id: string): DenyPolicy {
  const policy = request.state.denyPolicies.get(`${collection}/${id}`);
  if (!policy) throw notFound(`Policy ${collection}/${id}`);
  return policy;
}

const COLLECTION = '^/v2/policies/([^/]+)/denypolicies';

export const DENY_POLICY_ROUTES: Route[] = [
  {
    method: 'POST',
    path: new RegExp(`${COLLECTION}$`),
    permission: 'iam.denypolicies.create',
    handle: (request, [encoded]) => {
      const collection = parent(request, encoded ?? '');
      const id = request.query.get('policyId') ?? '';
      if (!POLICY_ID.test(id)) throw new GcpError('INVALID_ARGUMENT', `Invalid policy id "${id}".`);
      const name = `${collection}/${id}`;
      if (request.state.denyPolicies.has(name)) throw new GcpError('ALREADY_EXISTS', `Policy ${name} already exists.`);
      const at = now();
      const policy: DenyPolicy = {
        name,
        uid: randomUUID(),
        kind: 'DenyPolicy',
        ...(typeof request.body.displayName === 'string' ? { displayName: request.body.displayName } : {}),
        etag: `W/"${randomBytes(12).toString('base64')}"`,
        createTime: at,
        updateTime: at,
        rules: validRules(request.body.rules),
      };
      request.state.denyPolicies.set(name, policy);
      return operation(request, collection, policy);
    },
  },
  {
    method: 'GET',
    path: new RegExp(`${COLLECTION}$`),
    permission: 'iam.denypolicies.list',
    handle: (request, [encoded]) => {
      const collection = parent(request, encoded ?? '');
      const policies = [...request.state.denyPolicies.values()].filter((policy) =>
        policy.name.startsWith(`${collection}/`),
      );
      return policies.length ? { policies } : {};
    },
  },
  {
    method: 'GET',
    path: new RegExp(`${COLLECTION}/([^/]+)$`),
    permission: 'iam.denypolicies.get',
    handle: (request, [encoded, id]) => find(request, parent(request, encoded ?? ''), id ?? ''),
  },
  {
    method: 'DELETE',
    path: new RegExp(`${COLLECTION}/([^/]+)$`),
    permission: 'iam.denypolicies.delete',
    handle: (request, [encoded, id]) => {
      const collection = parent(request, encoded ?? '');
      const policy = find(request, collection, id ?? '');
      const etag = request.query.get('etag');
      if (etag && etag !== policy.etag)
        throw new GcpError(
          'ABORTED',
          'The etag does not match the current policy: it was changed concurrently. Read it again and retry.',
        );
      request.state.denyPolicies.delete(policy.name);
      return operation(request, collection, policy);
    },
  },
  {
    method: 'GET',
    path: new RegExp(`${COLLECTION}/operations/([^/]+)$`),
    permission: 'iam.denypolicies.get',
    handle: (request, [encoded, id]) => {
      const name = `${parent(request, encoded ?? '')}/operations/${id ?? ''}`;
      const found = request.state.operations.get(name);
      if (!found) throw notFound(`Operation ${name}`);
      return found;
    },
  },
];
