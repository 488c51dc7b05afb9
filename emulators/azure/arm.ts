import { assignmentsListed, checkVersion, GUID, idOf, PAGE, SCOPE, within } from './arm-scope';
import { ApiError, type Route } from './http';
import { now, type RoleAssignment } from './state';

// ARM role assignments, api-version 2022-04-01, as @azure/arm-authorization calls them.

const API_VERSION = '2022-04-01';

function resource(assignment: RoleAssignment): Record<string, unknown> {
  return {
    id: `${assignment.scope}/providers/Microsoft.Authorization/roleAssignments/${assignment.name}`,
    name: assignment.name,
    type: 'Microsoft.Authorization/roleAssignments',
    properties: {
      roleDefinitionId: assignment.roleDefinitionId,
      principalId: assignment.principalId,
      principalType: assignment.principalType,
      scope: assignment.scope,
      ...(assignment.condition
        ? { condition: assignment.condition, conditionVersion: assignment.conditionVersion ?? '2.0' }
        : {}),
      createdOn: assignment.createdOn,
      updatedOn: assignment.createdOn,
    },
  };
}

export const ARM_ROUTES: Route[] = [
  {
    method: 'PUT',
    path: new RegExp(`^${SCOPE}/providers/Microsoft\\.Authorization/roleAssignments/([^/]+)$`),
    operation: 'Microsoft.Authorization/roleAssignments/write',
    handle: (request, [scope = '', name = '']) => {
      checkVersion(request, API_VERSION);
      if (!GUID.test(name))
        throw new ApiError(
          400,
          'InvalidRoleAssignmentId',
          `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`,
        );
      const properties = (request.body.properties ?? {}) as Partial<RoleAssignment>;
      if (!properties.roleDefinitionId || !properties.principalId)
        throw new ApiError(
          400,
          'InvalidCreateRoleAssignmentRequest',
          'The request to create role assignment is invalid: roleDefinitionId and principalId are required.',
        );
      const wanted: RoleAssignment = {
        name,
        scope,
        roleDefinitionId: properties.roleDefinitionId,
        principalId: properties.principalId,
        principalType: properties.principalType ?? 'ServicePrincipal',
        ...(properties.condition
          ? { condition: properties.condition, conditionVersion: properties.conditionVersion ?? '2.0' }
          : {}),
        createdOn: now(),
      };
      const same = (other: RoleAssignment) =>
        within(other.scope, scope) &&
        within(scope, other.scope) &&
        other.roleDefinitionId.toLowerCase() === wanted.roleDefinitionId.toLowerCase() &&
        other.principalId === wanted.principalId &&
        (other.condition ?? '') === (wanted.condition ?? '');
      const existing = request.state.assignments.get(idOf(scope, name));
      if (existing) {
        if (same(existing)) return { status: 201, body: resource(existing) };
        throw new ApiError(
          400,
          'RoleAssignmentUpdateNotPermitted',
          'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.',
        );
      }
      if ([...request.state.assignments.values()].some(same))
        throw new ApiError(409, 'RoleAssignmentExists', 'The role assignment already exists.');
      request.state.assignments.set(idOf(scope, name), wanted);
      return { status: 201, body: resource(wanted) };
    },
  },
  {
    method: 'GET',
    path: new RegExp(`^${SCOPE}/providers/Microsoft\\.Authorization/roleAssignments/([^/]+)$`),
    operation: 'Microsoft.Authorization/roleAssignments/read',
    handle: (request, [scope = '', name = '']) => {
      checkVersion(request, API_VERSION);
      const found = request.state.assignments.get(idOf(scope, name));
      if (!found) throw new ApiError(404, 'RoleAssignmentNotFound', `The role assignment '${name}' is not found.`);
      return { status: 200, body: resource(found) };
    },
  },
  {
    method: 'DELETE',
    path: new RegExp(`^${SCOPE}/providers/Microsoft\\.Authorization/roleAssignments/([^/]+)$`),
    operation: 'Microsoft.Authorization/roleAssignments/delete',
    handle: (request, [scope = '', name = '']) => {
      checkVersion(request, API_VERSION);
      const found = request.state.assignments.get(idOf(scope, name));
      // Deleting what is not there is not an error: 204 No Content.
      if (!found) return { status: 204 };
      request.state.assignments.delete(idOf(scope, name));
      return { status: 200, body: resource(found) };
    },
  },
  {
    method: 'GET',
    path: new RegExp(`^${SCOPE}/providers/Microsoft\\.Authorization/roleAssignments$`),
    operation: 'Microsoft.Authorization/roleAssignments/read',
    handle: (request, [scope = '']) => {
      checkVersion(request, API_VERSION);
      const all = assignmentsListed(request, scope);
      const skip = Number(request.query.get('$skipToken') ?? 0);
      const page = all.slice(skip, skip + PAGE);
      const next = new URLSearchParams(request.query);
      next.set('$skipToken', String(skip + PAGE));
      return {
        status: 200,
        body: {
          value: page.map(resource),
          ...(skip + PAGE < all.length
            ? {
                nextLink: `https://${request.host}${scope}/providers/Microsoft.Authorization/roleAssignments?${next.toString()}`,
              }
            : {}),
        },
      };
    },
  },
];
