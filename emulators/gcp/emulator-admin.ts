import type { Binding, GcpState } from './state';
import type { Route } from './http';

/** What a test or the demo asks for: projects with service accounts (and keys), and project IAM bindings. */
export interface Seed {
  projectId: string;
  serviceAccounts?: { accountId: string; keys?: number; disabledKeys?: number }[];
  bindings?: Binding[];
}

export interface Seeded {
  projectId: string;
  serviceAccounts: { email: string; keyIds: string[] }[];
}

function seed(state: GcpState, seeds: Seed[]): Seeded[] {
  return seeds.map(({ projectId, serviceAccounts = [], bindings = [] }) => {
    const project = state.project(projectId);
    if (bindings.length)
      project.iamPolicy = { ...project.iamPolicy, version: 3, bindings: [...project.iamPolicy.bindings, ...bindings] };
    return {
      projectId,
      serviceAccounts: serviceAccounts.map(({ accountId, keys = 1, disabledKeys = 0 }) => {
        const account = state.addServiceAccount(projectId, accountId);
        const created = Array.from({ length: keys }, () => state.addKey(account));
        for (const key of created.slice(0, disabledKeys)) key.disabled = true;
        return { email: account.email, keyIds: created.map((key) => key.keyId) };
      }),
    };
  });
}

// Not part of any Google API: the emulator's own controls, under /emulator/.
export const EMULATOR_ROUTES: Route[] = [
  {
    method: 'POST',
    path: /^\/emulator\/seed$/,
    permission: '',
    handle: ({ state, body }) => ({ projects: seed(state, (body.projects as Seed[] | undefined) ?? []) }),
  },
  {
    method: 'POST',
    path: /^\/emulator\/permissions$/,
    permission: '',
    // The failure switch: the caller with this token lacks exactly these permissions from now on (empty: has them all).
    handle: ({ state, body }) => {
      const token = typeof body.token === 'string' ? body.token : '';
      state.deniedPermissions.set(token, new Set((body.denied as string[] | undefined) ?? []));
      return { token, denied: [...(state.deniedPermissions.get(token) ?? [])] };
    },
  },
  {
    method: 'POST',
    path: /^\/emulator\/tokens$/,
    permission: '',
    // The caller with this token is this member (e.g. serviceAccount:ci@p.iam.gserviceaccount.com): its
    // permission checks are answered from the project's bindings, conditions evaluated at the request's time.
    handle: ({ state, body }) => {
      const token = typeof body.token === 'string' ? body.token : '';
      const member = typeof body.member === 'string' ? body.member : '';
      state.tokenMembers.set(token, member);
      return { token, member };
    },
  },
  {
    method: 'POST',
    path: /^\/emulator\/projects\/([^/]+)\/concurrent-edit$/,
    permission: '',
    // Another writer adds this binding right after the next read of the project's IAM policy.
    handle: ({ state, body }, [projectId]) => {
      state.pendingConcurrentEdits.set(projectId ?? '', body as unknown as Binding);
      return {};
    },
  },
];
