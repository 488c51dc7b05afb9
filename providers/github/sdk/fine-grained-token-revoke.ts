import type { Action } from '../../../activities/action';
import { type GithubContext, githubCall } from './github-context';
import type { ParamsOf } from '../../provider';
import { githubFineGrainedTokenRevoke } from '../actions';

/** Revokes a fine-grained token's access to the organization, found by its token id; GitHub has no undo. */
export function fineGrainedTokenRevoke(
  context: GithubContext,
): Action<ParamsOf<typeof githubFineGrainedTokenRevoke>, { granted: boolean }> {
  async function grantOf({ org, tokenId }: ParamsOf<typeof githubFineGrainedTokenRevoke>) {
    const octokit = await context.forOrg(org);
    const grants = await githubCall(
      octokit.paginate(octokit.rest.orgs.listPatGrants, { org, token_id: [tokenId], per_page: 100 }),
      `fine-grained token ${tokenId} of ${org}`,
    );
    return { octokit, grant: grants.find((candidate) => String(candidate.token_id) === tokenId) };
  }
  return {
    spec: githubFineGrainedTokenRevoke,
    // A token with no access (never granted, or revoked already) has nothing left to revoke.
    read: async (params) => ({ granted: (await grantOf(params)).grant !== undefined }),
    desired: () => ({ granted: false }),
    write: async (params, state) => {
      if (state.granted) return;
      const { octokit, grant } = await grantOf(params);
      if (grant)
        await githubCall(
          octokit.rest.orgs.updatePatAccess({ org: params.org, pat_id: grant.id, action: 'revoke' }),
          `fine-grained token ${params.tokenId} of ${params.org}`,
        );
    },
  };
}
