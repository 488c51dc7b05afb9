import type { Route } from './http';
import { type AzureState, roleDefinitionGuid } from './state';

/** What a test or the demo asks for: principals (with client secrets) and their role assignments. */
export interface AzureSeed {
  tenant: string;
  principals?: {
    displayName: string;
    managed?: boolean;
    passwords?: number;
    roles?: { scope: string; role: string; name: string; condition?: string }[];
  }[];
}

export interface AzureSeeded {
  principals: { id: string; appId: string; passwordKeyIds: string[] }[];
}

function seed(state: AzureState, { tenant, principals = [] }: AzureSeed): AzureSeeded {
  state.vaultTenant = tenant;
  return {
    principals: principals.map(({ displayName, managed = false, passwords = 0, roles = [] }) => {
      const principal = state.addPrincipal(tenant, displayName, managed);
      const keyIds = Array.from(
        { length: passwords },
        (_, index) => state.addPassword(principal, `secret ${index + 1}`).keyId,
      );
      for (const { scope, role, name, condition } of roles) {
        const subscription = /^\/subscriptions\/[^/]+/.exec(scope)?.[0] ?? '';
        state.assignments.set(`${scope.toLowerCase()}/${name}`, {
          name,
          scope,
          roleDefinitionId: `${subscription}/providers/Microsoft.Authorization/roleDefinitions/${roleDefinitionGuid(role)}`,
          principalId: principal.id,
          principalType: 'ServicePrincipal',
          ...(condition ? { condition, conditionVersion: '2.0' } : {}),
          createdOn: new Date().toISOString(),
        });
      }
      return { id: principal.id, appId: principal.appId, passwordKeyIds: keyIds };
    }),
  };
}

// Not part of any Azure API: the emulator's own controls, under /emulator/.
export const EMULATOR_ROUTES: Route[] = [
  {
    method: 'POST',
    path: /^\/emulator\/seed$/,
    operation: '',
    handle: ({ state, body }) => ({ status: 200, body: seed(state, body as unknown as AzureSeed) }),
  },
  {
    method: 'POST',
    path: /^\/emulator\/permissions$/,
    operation: '',
    // The failure switch: the caller with this token lacks exactly these operations from now on.
    handle: ({ state, body }) => {
      const token = typeof body.token === 'string' ? body.token : '';
      state.denied.set(token, new Set((body.denied as string[] | undefined) ?? []));
      return { status: 200, body: { token, denied: [...(state.denied.get(token) ?? [])] } };
    },
  },
  {
    method: 'POST',
    path: /^\/emulator\/pim$/,
    operation: '',
    // PIM's 5-minute minimum (shortest assignment, soonest removal), lowered for one principal: a test's.
    handle: ({ state, body }) => {
      const principalId = typeof body.principalId === 'string' ? body.principalId : '';
      const seconds = typeof body.minimumSeconds === 'number' ? body.minimumSeconds : 300;
      state.minimumActiveMs.set(principalId, seconds * 1000);
      return { status: 200, body: { principalId, minimumSeconds: seconds } };
    },
  },
];
