import type { Action } from '../../../activities/action';
import { stepFailure } from '../../../activities/step-failure';
import { type GithubContext, githubCall } from './github-context';
import type { ParamsOf } from '../../provider';
import { githubOrgSecretNarrowRepositories } from '../actions';

type Visibility = 'all' | 'private' | 'selected';

/** Who may use one Actions secret: its visibility, and the repositories that can use it now (names, sorted). */
export interface SecretReach {
  name: string;
  visibility: Visibility;
  repositories: string[];
}

export interface OrgSecretsState {
  secrets: SecretReach[];
}

const sorted = (names: string[]) => [...names].sort((a, b) => a.localeCompare(b));

/**
 * Narrows the repositories that may use the organization's Actions secrets: each secret becomes `selected`,
 * shared with the repositories it reaches now that the playbook keeps, so narrowing never widens (a `private`
 * secret never reaches a public repository). Undo restores each visibility and list. A secret's value is
 * never read or written: GitHub changes who sees it without it.
 */
export function orgSecretNarrowRepositories(
  context: GithubContext,
): Action<ParamsOf<typeof githubOrgSecretNarrowRepositories>, OrgSecretsState> {
  const what = (org: string, name: string) => `Actions secret ${name} of ${org}`;
  async function repositoriesOf(org: string) {
    const octokit = await context.forOrg(org);
    const listed = await githubCall(
      octokit.paginate(octokit.rest.repos.listForOrg, { org, type: 'all', per_page: 100 }),
      `the repositories of ${org}`,
    );
    return { octokit, repositories: listed };
  }
  return {
    spec: githubOrgSecretNarrowRepositories,
    read: async ({ org, secrets }) => {
      const { octokit, repositories } = await repositoriesOf(org);
      const reach = async (name: string): Promise<SecretReach> => {
        const { data } = await githubCall(
          octokit.rest.actions.getOrgSecret({ org, secret_name: name }),
          what(org, name),
        );
        const visibility = data.visibility;
        if (visibility !== 'selected')
          return {
            name,
            visibility,
            repositories: sorted(
              repositories.filter((repository) => visibility === 'all' || repository.private).map(({ name }) => name),
            ),
          };
        const selected = await githubCall(
          octokit.paginate(octokit.rest.actions.listSelectedReposForOrgSecret, {
            org,
            secret_name: name,
            per_page: 100,
          }),
          `the repositories of ${what(org, name)}`,
        );
        return { name, visibility, repositories: sorted(selected.map((repository) => repository.name)) };
      };
      return { secrets: await Promise.all(secrets.map(reach)) };
    },
    desired: ({ repositories: kept }, before) => ({
      secrets: before.secrets.map((secret) => ({
        name: secret.name,
        visibility: 'selected',
        repositories: secret.repositories.filter((name) => kept.includes(name.toLowerCase())),
      })),
    }),
    write: async ({ org }, state) => {
      const { octokit, repositories } = await repositoriesOf(org);
      const ids = new Map(repositories.map((repository) => [repository.name.toLowerCase(), repository.id]));
      for (const secret of state.secrets) {
        const { data } = await githubCall(
          octokit.rest.actions.getOrgSecret({ org, secret_name: secret.name }),
          what(org, secret.name),
        );
        if (secret.visibility !== 'selected') {
          if (data.visibility !== secret.visibility)
            await githubCall(
              octokit.rest.actions.createOrUpdateOrgSecret({
                org,
                secret_name: secret.name,
                visibility: secret.visibility,
              }),
              what(org, secret.name),
            );
          continue;
        }
        const selectedIds = secret.repositories.map((name) => {
          const id = ids.get(name.toLowerCase());
          // A repository deleted meanwhile cannot get the secret back; the read afterwards shows the difference.
          if (id === undefined)
            throw stepFailure('NoSuchEntity', `repository ${org}/${name} of ${what(org, secret.name)} is gone`);
          return id;
        });
        // Already selected: replace the list (the documented call). Otherwise change the visibility with it.
        await githubCall<unknown>(
          data.visibility === 'selected'
            ? octokit.rest.actions.setSelectedReposForOrgSecret({
                org,
                secret_name: secret.name,
                selected_repository_ids: selectedIds,
              })
            : octokit.rest.actions.createOrUpdateOrgSecret({
                org,
                secret_name: secret.name,
                visibility: 'selected',
                selected_repository_ids: selectedIds,
              }),
          what(org, secret.name),
        );
      }
    },
  };
}
