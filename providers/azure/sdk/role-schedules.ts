import type { AzureContext } from './azure-context';
import { azureCall } from './azure-context';

/** One time-bound active assignment PIM holds for the principal: it ends by itself at `endsAt`. */
export type TimeBound = { scope: string; role: string; endsAt: string };

const roleOf = (roleDefinitionId: string) => roleDefinitionId.split('/').pop()?.toLowerCase() ?? '';

/**
 * The principal's time-bound active assignments in the managed subscriptions, from PIM's schedules (every
 * active assignment has one; a standing one has no end).
 */
export async function timeBoundAssignments(azure: AzureContext, principalId: string): Promise<TimeBound[]> {
  const found: TimeBound[] = [];
  for (const subscription of azure.subscriptions) {
    const root = `/subscriptions/${subscription}`;
    await azureCall(
      (async () => {
        const pages = azure.arm.roleAssignmentSchedules.listForScope(root, {
          filter: `principalId eq '${principalId}'`,
        });
        for await (const schedule of pages) {
          if (!schedule.endDateTime || !schedule.scope || !schedule.roleDefinitionId) continue;
          found.push({
            scope: schedule.scope,
            role: roleOf(schedule.roleDefinitionId),
            endsAt: new Date(schedule.endDateTime).toISOString(),
          });
        }
      })(),
      `role assignment schedules of ${principalId} in subscription ${subscription}`,
    );
  }
  return found;
}
