import { GcpError } from './errors';
import type { Request, Route } from './http';
import { conditionHolds } from './conditions';
import { ROLE_PERMISSIONS } from './role-permissions';
import { type Binding, type IamPolicy, newEtag, type Project } from './state';

// Resource Manager v3: a project's IAM policy, read-modify-write guarded by the etag.

function project(request: Request, id: string): Project {
  const found = request.state.projects.get(decodeURIComponent(id));
  if (!found)
    throw new GcpError(
      'PERMISSION_DENIED',
      `The caller does not have permission on projects/${decodeURIComponent(id)} (or it may not exist).`,
    );
  return found;
}

/** As Resource Manager serves a policy: version 3 only where a binding has a condition, else version 1, whatever was set. */
function policyResource(policy: IamPolicy): Record<string, unknown> {
  return {
    version: policy.bindings.some((binding) => binding.condition) ? 3 : 1,
    etag: policy.etag.toString('base64'),
    ...(policy.bindings.length ? { bindings: policy.bindings } : {}),
  };
}

const BASIC_ROLES = ['roles/owner', 'roles/editor', 'roles/viewer'];

function validBindings(bindings: unknown, version: number): Binding[] {
  if (bindings === undefined) return [];
  if (!Array.isArray(bindings)) throw new GcpError('INVALID_ARGUMENT', 'policy.bindings must be a list.');
  for (const binding of bindings as Partial<Binding>[]) {
    if (typeof binding.role !== 'string' || !/^(roles|projects\/[^/]+\/roles)\/[\w.]+$/.test(binding.role))
      throw new GcpError('INVALID_ARGUMENT', `Role ${JSON.stringify(binding.role)} is not a role name.`);
    if (!Array.isArray(binding.members) || binding.members.length === 0)
      throw new GcpError('INVALID_ARGUMENT', `Binding for ${binding.role} has no members.`);
    if (binding.condition && version < 3)
      throw new GcpError('INVALID_ARGUMENT', 'Conditional role bindings require policy version 3.');
    // IAM Conditions cannot be used with basic roles.
    if (binding.condition && BASIC_ROLES.includes(binding.role))
      throw new GcpError(
        'INVALID_ARGUMENT',
        `Role ${binding.role} is a basic role: conditional role bindings are not supported for basic roles.`,
      );
  }
  return bindings as Binding[];
}

/**
 * What the caller may do on the project, of what it asks: a member (known by its token) holds a permission
 * through a binding of a role that grants it whose condition holds at the request's time; a caller the
 * emulator does not know holds every permission (it plays idra's own credentials), less the denied ones.
 */
function heldPermissions(request: Request, project: Project, asked: string[]): string[] {
  const member = request.state.tokenMembers.get(request.token);
  const denied = request.state.deniedPermissions.get(request.token);
  if (member === undefined) return asked.filter((permission) => !denied?.has(permission));
  const now = Date.now();
  const granted = new Set(
    project.iamPolicy.bindings
      .filter((binding) => binding.members.includes(member))
      .filter((binding) => !binding.condition || conditionHolds(binding.condition.expression, now))
      .flatMap((binding) => ROLE_PERMISSIONS[binding.role] ?? []),
  );
  return asked.filter((permission) => granted.has(permission));
}

export const PROJECT_ROUTES: Route[] = [
  {
    method: 'POST',
    path: /^\/v3\/projects\/([^/:]+):testIamPermissions$/,
    // Anyone may ask what they themselves may do.
    permission: '',
    handle: (request, [id]) => {
      const asked = request.body.permissions;
      if (!Array.isArray(asked) || asked.some((permission) => typeof permission !== 'string'))
        throw new GcpError('INVALID_ARGUMENT', 'permissions must be a list of permission names.');
      if (asked.length > 100)
        throw new GcpError('INVALID_ARGUMENT', 'No more than 100 permissions can be tested at once.');
      const held = heldPermissions(request, project(request, id ?? ''), asked as string[]);
      return held.length ? { permissions: held } : {};
    },
  },
  {
    method: 'POST',
    path: /^\/v3\/projects\/([^/:]+):getIamPolicy$/,
    permission: 'resourcemanager.projects.getIamPolicy',
    handle: (request, [id]) => {
      const found = project(request, id ?? '');
      const served = policyResource(found.iamPolicy);
      // Another writer edits the policy right after this read (the test switch for etag conflicts).
      const edit = request.state.pendingConcurrentEdits.get(found.projectId);
      if (edit) {
        request.state.pendingConcurrentEdits.delete(found.projectId);
        found.iamPolicy = { ...found.iamPolicy, bindings: [...found.iamPolicy.bindings, edit], etag: newEtag() };
      }
      return served;
    },
  },
  {
    method: 'POST',
    path: /^\/v3\/projects\/([^/:]+):setIamPolicy$/,
    permission: 'resourcemanager.projects.setIamPolicy',
    handle: (request, [id]) => {
      const found = project(request, id ?? '');
      const policy = request.body.policy as { version?: number; etag?: string; bindings?: unknown } | undefined;
      if (!policy) throw new GcpError('INVALID_ARGUMENT', 'policy is required.');
      if (policy.etag !== undefined && policy.etag !== found.iamPolicy.etag.toString('base64')) {
        throw new GcpError(
          'ABORTED',
          'There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff.',
        );
      }
      const version = policy.version ?? 1;
      found.iamPolicy = { version, bindings: validBindings(policy.bindings, version), etag: newEtag() };
      return policyResource(found.iamPolicy);
    },
  },
];
