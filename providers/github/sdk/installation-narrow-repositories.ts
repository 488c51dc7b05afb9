import type { Octokit } from '@octokit/rest';
import type { Action } from '../../../activities/action';
import { stepFailure } from '../../../activities/step-failure';
import { type GithubContext, githubCall } from './github-context';
import type { ParamsOf } from '../../provider';
import { githubInstallationNarrowRepositories } from '../actions';

/** Which repositories an installation reaches: all of the organization's, or a selection (names, sorted). */
export interface InstallationReach {
  selection: 'all' | 'selected';
  repositories: string[];
}

/** GitHub takes at most 50 repository names per call. */
const PER_CALL = 50;

const chunks = (names: string[]) =>
  Array.from({ length: Math.ceil(names.length / PER_CALL) }, (_, index) =>
    names.slice(index * PER_CALL, (index + 1) * PER_CALL),
  );
const lower = (names: string[]) => new Set(names.map((name) => name.toLowerCase()));

/**
 * Narrows which repositories another app's installation reaches, through idra's app installed on the
 * enterprise that owns the organization (GitHub offers it nowhere else): the installation keeps only those of
 * the playbook's repositories it reached, so narrowing never widens. Undo restores `all`, or the exact list.
 */
export function installationNarrowRepositories(
  context: GithubContext,
): Action<ParamsOf<typeof githubInstallationNarrowRepositories>, InstallationReach> {
  const what = ({ org, installationId, appSlug }: ParamsOf<typeof githubInstallationNarrowRepositories>) =>
    `installation ${installationId} of GitHub App ${appSlug} on ${org}`;
  async function reach(
    params: ParamsOf<typeof githubInstallationNarrowRepositories>,
    octokit: Octokit,
    enterprise: string,
  ) {
    const { org, installationId } = params;
    const route = { enterprise, org, installation_id: Number(installationId), per_page: 100 };
    const installed = await githubCall(
      octokit.paginate('GET /enterprises/{enterprise}/apps/organizations/{org}/installations', route),
      `the apps installed on ${org}`,
    );
    const found = (installed as { id: number; repository_selection: 'all' | 'selected' }[]).find(
      (candidate) => String(candidate.id) === installationId,
    );
    if (!found) throw stepFailure('NoSuchEntity', `${what(params)} does not exist`);
    const reached = await githubCall(
      octokit.paginate(
        'GET /enterprises/{enterprise}/apps/organizations/{org}/installations/{installation_id}/repositories',
        route,
      ),
      `the repositories of ${what(params)}`,
    );
    return {
      selection: found.repository_selection,
      repositories: (reached as { name: string }[]).map(({ name }) => name).sort((a, b) => a.localeCompare(b)),
    };
  }
  return {
    spec: githubInstallationNarrowRepositories,
    read: async (params) => {
      const { octokit, enterprise } = await context.forEnterprise();
      return reach(params, octokit, enterprise);
    },
    desired: ({ repositories: kept }, before) => ({
      selection: 'selected',
      repositories: before.repositories.filter((name) => kept.includes(name.toLowerCase())),
    }),
    write: async (params, state) => {
      const { octokit, enterprise } = await context.forEnterprise();
      const now = await reach(params, octokit, enterprise);
      const base = '/enterprises/{enterprise}/apps/organizations/{org}/installations/{installation_id}/repositories';
      const route = { enterprise, org: params.org, installation_id: Number(params.installationId) };
      const call = (path: string, body: Record<string, unknown>) =>
        githubCall(octokit.request(`PATCH ${base}${path}`, { ...route, ...body }), what(params));
      if (state.selection === 'all') {
        if (now.selection !== 'all') await call('', { repository_selection: 'all' });
        return;
      }
      if (!state.repositories.length)
        throw stepFailure(
          'ProviderRejected',
          `none of the playbook's repositories is one ${what(params)} reaches, and GitHub keeps at least one: suspend or uninstall it instead`,
        );
      const [first = [], ...rest] = chunks(state.repositories);
      if (now.selection === 'all') {
        await call('', { repository_selection: 'selected', repositories: first });
        for (const names of rest) await call('/add', { repositories: names });
        return;
      }
      // From one selection to another: add first, so the installation never falls to none (GitHub refuses that).
      const had = lower(now.repositories);
      const wanted = lower(state.repositories);
      for (const names of chunks(state.repositories.filter((name) => !had.has(name.toLowerCase()))))
        await call('/add', { repositories: names });
      for (const names of chunks(now.repositories.filter((name) => !wanted.has(name.toLowerCase()))))
        await call('/remove', { repositories: names });
    },
  };
}
