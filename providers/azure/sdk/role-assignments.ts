import type { Action } from '../../../activities/action';
import type { ParamsOf } from '../../provider';
import { azureRoleAssignmentReadOnly, azureRoleAssignmentRemove } from '../actions';
import { guidFor } from '../names';
import { readOnlyRole } from '../read-only-roles';
import { type AzureContext, azureCall } from './azure-context';

export type PrincipalParams = { tenant: string; principalId: string };
/** One role assignment of the principal, as ARM needs it to re-create it exactly. */
export type Assignment = {
  name: string;
  scope: string;
  roleDefinitionId: string;
  condition?: string;
  conditionVersion?: string;
};
/** The principal's assignments in the worker's subscriptions: nobody else's are read or written. */
export type AssignmentState = { assignments: Assignment[] };

const keyOf = (assignment: Pick<Assignment, 'scope' | 'name'>) =>
  `${assignment.scope.toLowerCase()}/${assignment.name}`;
export const roleOf = (assignment: Assignment) => assignment.roleDefinitionId.split('/').pop()?.toLowerCase() ?? '';
const sorted = (assignments: Assignment[]) => [...assignments].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));

/** The principal's role assignments at or below each managed subscription (ARM pages them: every page is read). */
export async function readAssignments(azure: AzureContext, { principalId }: PrincipalParams): Promise<AssignmentState> {
  const found = new Map<string, Assignment>();
  for (const subscription of azure.subscriptions) {
    const root = `/subscriptions/${subscription}`;
    const pages = azure.arm.roleAssignments.listForScope(root, { filter: `principalId eq '${principalId}'` });
    await azureCall(
      (async () => {
        for await (const assignment of pages) {
          const scope = assignment.scope ?? '';
          if (
            !assignment.name ||
            !assignment.roleDefinitionId ||
            !(scope.toLowerCase() === root || scope.toLowerCase().startsWith(`${root}/`))
          )
            continue;
          const entry: Assignment = {
            name: assignment.name,
            scope,
            roleDefinitionId: assignment.roleDefinitionId,
            ...(assignment.condition
              ? { condition: assignment.condition, conditionVersion: assignment.conditionVersion ?? '2.0' }
              : {}),
          };
          found.set(keyOf(entry), entry);
        }
      })(),
      `role assignments of ${principalId} in subscription ${subscription}`,
    );
  }
  return { assignments: sorted([...found.values()]) };
}

/**
 * Puts the principal's assignments in the given state: deletes those not wanted, creates (with their exact
 * names) those missing. `read`: the assignments the action owns (default: all of the principal's).
 */
export async function writeAssignments(
  azure: AzureContext,
  params: PrincipalParams,
  state: AssignmentState,
  read: (azure: AzureContext, params: PrincipalParams) => Promise<AssignmentState> = readAssignments,
): Promise<void> {
  const current = (await read(azure, params)).assignments;
  const wanted = new Set(state.assignments.map(keyOf));
  const present = new Set(current.map(keyOf));
  for (const assignment of current.filter((candidate) => !wanted.has(keyOf(candidate)))) {
    await azureCall(
      azure.arm.roleAssignments.delete(assignment.scope, assignment.name),
      `role assignment ${assignment.name} at ${assignment.scope}`,
    );
  }
  for (const assignment of state.assignments.filter((candidate) => !present.has(keyOf(candidate)))) {
    await azureCall(
      azure.arm.roleAssignments.create(assignment.scope, assignment.name, {
        roleDefinitionId: assignment.roleDefinitionId,
        principalId: params.principalId,
        principalType: 'ServicePrincipal',
        ...(assignment.condition
          ? { condition: assignment.condition, conditionVersion: assignment.conditionVersion }
          : {}),
      }),
      `role assignment ${assignment.name} at ${assignment.scope}`,
    );
  }
}

/** The role-assignment actions share one spec shape (providers/azure/actions.ts). */
type AssignmentSpec = typeof azureRoleAssignmentRemove;

function assignmentAction(
  azure: AzureContext,
  spec: AssignmentSpec,
  desired: (before: AssignmentState) => AssignmentState,
): Action<ParamsOf<AssignmentSpec>, AssignmentState> {
  return {
    spec,
    read: (params) => readAssignments(azure, params),
    desired: (_params, before) => desired(before),
    write: (params, state) => writeAssignments(azure, params, state),
  };
}

/**
 * Drop write, keep read: each write role becomes its read-only counterpart at the same scope, under a name
 * derived from the assignment it replaces (so a retry finds it); a role the principal already holds read-only
 * there is not doubled.
 */
export const roleAssignmentReadOnly = (azure: AzureContext) =>
  assignmentAction(azure, azureRoleAssignmentReadOnly, ({ assignments }) => {
    const kept = new Map<string, Assignment>();
    for (const assignment of assignments) {
      const role = readOnlyRole(roleOf(assignment));
      if (!role) continue;
      const replacement: Assignment =
        role === roleOf(assignment)
          ? assignment
          : {
              ...assignment,
              name: guidFor(keyOf(assignment)),
              roleDefinitionId: assignment.roleDefinitionId.replace(/[^/]+$/, role),
            };
      const slot = `${assignment.scope.toLowerCase()}|${role}|${assignment.condition ?? ''}`;
      if (!kept.has(slot) || replacement === assignment) kept.set(slot, replacement);
    }
    return { assignments: sorted([...kept.values()]) };
  });

/** Quarantine: the principal holds no role in the managed subscriptions. */
export const roleAssignmentRemove = (azure: AzureContext) =>
  assignmentAction(azure, azureRoleAssignmentRemove, () => ({ assignments: [] }));
