import { randomUUID } from 'node:crypto';
import { assignmentsListed, checkVersion, GUID, idOf, SCOPE, within } from './arm-scope';
import { ApiError, type Request, type Route } from './http';
import { now, type RoleAssignment, type ScheduleRequest } from './state';

// Privileged Identity Management for Azure resources: role assignment schedule requests and the schedules
// they make, api-version 2020-10-01, as @azure/arm-authorization calls them. Only active assignments: a
// service principal cannot be made eligible (it cannot activate), so AdminAssign with an end is its JIT.

const PIM_VERSION = '2020-10-01';
const REQUEST_TYPES = [
  'AdminAssign',
  'AdminRemove',
  'AdminUpdate',
  'AdminExtend',
  'AdminRenew',
  'SelfActivate',
  'SelfDeactivate',
  'SelfExtend',
  'SelfRenew',
];
const ISO_DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

function durationMs(duration: string): number | undefined {
  const match = ISO_DURATION.exec(duration);
  if (!match || duration === 'P' || duration.endsWith('T')) return undefined;
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = match;
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000;
}

type Body = {
  principalId?: string;
  roleDefinitionId?: string;
  requestType?: string;
  justification?: string;
  scheduleInfo?: { startDateTime?: string; expiration?: { type?: string; duration?: string; endDateTime?: string } };
};

function requestResource(request: ScheduleRequest): Record<string, unknown> {
  return {
    id: `${request.scope}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${request.name}`,
    name: request.name,
    type: 'Microsoft.Authorization/RoleAssignmentScheduleRequests',
    properties: {
      scope: request.scope,
      roleDefinitionId: request.roleDefinitionId,
      principalId: request.principalId,
      principalType: 'ServicePrincipal',
      requestType: request.requestType,
      status: request.status,
      scheduleInfo: { startDateTime: request.startDateTime, expiration: request.expiration },
      ...(request.justification ? { justification: request.justification } : {}),
      createdOn: request.createdOn,
    },
  };
}

/** Every active assignment is on a schedule: a standing one has no end, a PIM one ends at its `endDateTime`. */
function scheduleResource(assignment: RoleAssignment): Record<string, unknown> {
  return {
    id: `${assignment.scope}/providers/Microsoft.Authorization/roleAssignmentSchedules/${assignment.name}`,
    name: assignment.name,
    type: 'Microsoft.Authorization/roleAssignmentSchedules',
    properties: {
      scope: assignment.scope,
      roleDefinitionId: assignment.roleDefinitionId,
      principalId: assignment.principalId,
      principalType: assignment.principalType,
      ...(assignment.scheduleRequest
        ? {
            roleAssignmentScheduleRequestId: `${assignment.scope}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${assignment.scheduleRequest}`,
          }
        : {}),
      assignmentType: 'Assigned',
      memberType: 'Direct',
      status: 'Provisioned',
      startDateTime: assignment.createdOn,
      endDateTime: assignment.endDateTime ?? null,
      createdOn: assignment.createdOn,
    },
  };
}

const sameRole = (a: string, b: string) => a.toLowerCase().split('/').pop() === b.toLowerCase().split('/').pop();

/** The principal's active assignment of the role at exactly this scope, if there is one. */
function activeAt(request: Request, scope: string, body: Required<Pick<Body, 'principalId' | 'roleDefinitionId'>>) {
  return [...request.state.assignments.values()].find(
    (assignment) =>
      within(assignment.scope, scope) &&
      within(scope, assignment.scope) &&
      assignment.principalId === body.principalId &&
      sameRole(assignment.roleDefinitionId, body.roleDefinitionId),
  );
}

const TOO_SHORT = (minutes: number) =>
  new ApiError(
    400,
    'ActiveDurationTooShort',
    `The Active duration is too short. Minimum required is ${minutes} minutes.`,
  );

/** When an assignment asked for now ends, as its expiration says (undefined: it never does). */
function endOf(expiration: NonNullable<Body['scheduleInfo']>['expiration'], start: number): number | undefined {
  const type = expiration?.type ?? 'NoExpiration';
  if (type === 'NoExpiration') return undefined;
  if (type === 'AfterDuration') {
    const ms = durationMs(expiration?.duration ?? '');
    if (ms === undefined)
      throw new ApiError(400, 'InvalidScheduleInfo', `The duration '${expiration?.duration ?? ''}' is not valid.`);
    return start + ms;
  }
  if (type === 'AfterDateTime') {
    const end = Date.parse(expiration?.endDateTime ?? '');
    if (Number.isNaN(end))
      throw new ApiError(
        400,
        'InvalidScheduleInfo',
        `The endDateTime '${expiration?.endDateTime ?? ''}' is not valid.`,
      );
    return end;
  }
  throw new ApiError(400, 'InvalidScheduleInfo', `The expiration type '${type}' is not valid.`);
}

/** What an admin request does to the principal's active assignments; refused as PIM refuses it. */
function carryOut(request: Request, scope: string, name: string, body: Body): void {
  const { state } = request;
  const principalId = body.principalId ?? '';
  const roleDefinitionId = body.roleDefinitionId ?? '';
  const minimum = state.minimumActive(principalId);
  const minutes = Math.round(minimum / 6_000) / 10;
  const existing = activeAt(request, scope, { principalId, roleDefinitionId });
  const start = Date.parse(body.scheduleInfo?.startDateTime ?? '') || Date.now();
  if (body.requestType === 'AdminAssign') {
    if (existing) throw new ApiError(409, 'RoleAssignmentExists', 'The Role assignment already exists.');
    const end = endOf(body.scheduleInfo?.expiration, start);
    if (end !== undefined && end - start < minimum) throw TOO_SHORT(minutes);
    const assignment: RoleAssignment = {
      name: randomUUID(),
      scope,
      roleDefinitionId,
      principalId,
      principalType: 'ServicePrincipal',
      createdOn: now(),
      ...(end === undefined ? {} : { endDateTime: new Date(end).toISOString() }),
      scheduleRequest: name,
    };
    state.assignments.set(idOf(scope, assignment.name), assignment);
    return;
  }
  if (!existing) throw new ApiError(400, 'RoleAssignmentDoesNotExist', 'The Role assignment does not exist.');
  if (body.requestType === 'AdminRemove') {
    // An active assignment stays at least its minimum: none is removed sooner after it was made.
    if (Date.now() - Date.parse(existing.createdOn) < minimum) throw TOO_SHORT(minutes);
    state.assignments.delete(idOf(existing.scope, existing.name));
    return;
  }
  const end = endOf(body.scheduleInfo?.expiration, Date.now());
  if (end !== undefined && end - Date.now() < minimum) throw TOO_SHORT(minutes);
  const updated: RoleAssignment = { ...existing, scheduleRequest: name };
  if (end === undefined) delete updated.endDateTime;
  else updated.endDateTime = new Date(end).toISOString();
  state.assignments.set(idOf(existing.scope, existing.name), updated);
}

const REQUESTS = `^${SCOPE}/providers/Microsoft\\.Authorization/roleAssignmentScheduleRequests`;

export const PIM_ROUTES: Route[] = [
  {
    method: 'PUT',
    path: new RegExp(`${REQUESTS}/([^/]+)$`),
    operation: 'Microsoft.Authorization/roleAssignmentScheduleRequests/write',
    handle: (request, [scope = '', name = '']) => {
      checkVersion(request, PIM_VERSION);
      if (!GUID.test(name))
        throw new ApiError(
          400,
          'InvalidRoleAssignmentScheduleRequestName',
          `The role assignment schedule request name '${name}' is not valid. It must be a GUID.`,
        );
      if (request.state.scheduleRequests.has(idOf(scope, name)))
        throw new ApiError(
          409,
          'RoleAssignmentRequestExists',
          'A role assignment request with this name already exists.',
        );
      const body = (request.body.properties ?? {}) as Body;
      if (!body.principalId || !body.roleDefinitionId || !body.requestType)
        throw new ApiError(
          400,
          'InvalidRoleAssignmentScheduleRequest',
          'The request is invalid: principalId, roleDefinitionId and requestType are required.',
        );
      if (!REQUEST_TYPES.includes(body.requestType))
        throw new ApiError(400, 'InvalidRequestType', `The request type '${body.requestType}' is not valid.`);
      // Self requests act on one's own eligibility: a service principal has none.
      if (body.requestType.startsWith('Self'))
        throw new ApiError(
          400,
          'RoleAssignmentRequestPolicyValidationFailed',
          'The following policy rules failed: ["EligibilityRule"]',
        );
      carryOut(request, scope, name, body);
      const kept: ScheduleRequest = {
        name,
        scope,
        principalId: body.principalId,
        roleDefinitionId: body.roleDefinitionId,
        requestType: body.requestType,
        status: body.requestType === 'AdminRemove' ? 'Revoked' : 'Provisioned',
        ...(body.justification ? { justification: body.justification } : {}),
        startDateTime: body.scheduleInfo?.startDateTime ?? now(),
        expiration: {
          type: body.scheduleInfo?.expiration?.type ?? 'NoExpiration',
          ...(body.scheduleInfo?.expiration?.duration ? { duration: body.scheduleInfo.expiration.duration } : {}),
          ...(body.scheduleInfo?.expiration?.endDateTime
            ? { endDateTime: body.scheduleInfo.expiration.endDateTime }
            : {}),
        },
        createdOn: now(),
      };
      request.state.scheduleRequests.set(idOf(scope, name), kept);
      return { status: 201, body: requestResource(kept) };
    },
  },
  {
    method: 'GET',
    path: new RegExp(`${REQUESTS}/([^/]+)$`),
    operation: 'Microsoft.Authorization/roleAssignmentScheduleRequests/read',
    handle: (request, [scope = '', name = '']) => {
      checkVersion(request, PIM_VERSION);
      const found = request.state.scheduleRequests.get(idOf(scope, name));
      if (!found)
        throw new ApiError(404, 'RoleAssignmentScheduleRequestNotFound', `The request '${name}' is not found.`);
      return { status: 200, body: requestResource(found) };
    },
  },
  {
    method: 'POST',
    path: new RegExp(`${REQUESTS}/([^/]+)/cancel$`),
    operation: 'Microsoft.Authorization/roleAssignmentScheduleRequests/cancel/action',
    handle: (request, [scope = '', name = '']) => {
      checkVersion(request, PIM_VERSION);
      const found = request.state.scheduleRequests.get(idOf(scope, name));
      if (!found)
        throw new ApiError(404, 'RoleAssignmentScheduleRequestNotFound', `The request '${name}' is not found.`);
      // Only a request still waiting (for approval) can be cancelled; admin requests take effect at once.
      throw new ApiError(
        400,
        'RoleAssignmentRequestNotCancellable',
        `The request '${name}' is ${found.status} and can no longer be cancelled.`,
      );
    },
  },
  {
    method: 'GET',
    path: new RegExp(`^${SCOPE}/providers/Microsoft\\.Authorization/roleAssignmentSchedules$`),
    operation: 'Microsoft.Authorization/roleAssignmentSchedules/read',
    handle: (request, [scope = '']) => {
      checkVersion(request, PIM_VERSION);
      const value = assignmentsListed(request, scope).map(scheduleResource);
      return { status: 200, body: { value } };
    },
  },
];
