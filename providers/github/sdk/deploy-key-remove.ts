import type { Action } from '../../../activities/action';
import { stepFailure } from '../../../activities/step-failure';
import { type GithubContext, githubCall } from './github-context';
import type { ParamsOf } from '../../provider';
import { githubDeployKeyRemove } from '../actions';

/** A deploy key as a response sees it: whether it is on the repository, and what re-adding it takes. */
export interface DeployKeyState {
  present: boolean;
  /** The public key: the key's identity once it is gone (GitHub gives a re-added key a new id). */
  key: string;
  title: string;
  readOnly: boolean;
}

/** An SSH public key is its type and body; a comment after them does not make it another key. */
const keyBody = (key: string) => key.trim().split(/\s+/).slice(0, 2).join(' ');

/**
 * Removes the deploy key; undo adds its public key back. Once the snapshot is known, the key is found by its
 * public key rather than its id, so a key someone re-added (a new id) is seen as the key back in place.
 */
export function deployKeyRemove(
  context: GithubContext,
): Action<ParamsOf<typeof githubDeployKeyRemove>, DeployKeyState> {
  const what = ({ owner, repo, keyId }: ParamsOf<typeof githubDeployKeyRemove>) =>
    `deploy key ${keyId} of ${owner}/${repo}`;
  async function keysOf(params: ParamsOf<typeof githubDeployKeyRemove>) {
    const octokit = await context.forOrg(params.owner);
    return githubCall(
      octokit.paginate(octokit.rest.repos.listDeployKeys, { owner: params.owner, repo: params.repo, per_page: 100 }),
      `the deploy keys of ${params.owner}/${params.repo}`,
    );
  }
  return {
    spec: githubDeployKeyRemove,
    // GitHub gives the key added back a new id: the undo's receipt names it beside the one the signal named.
    restoredAs: async (params, state) => {
      const added = (await keysOf(params)).find((candidate) => keyBody(candidate.key) === keyBody(state.key));
      return { keyId: params.keyId, ...(added ? { restoredKeyId: String(added.id) } : {}) };
    },
    read: async (params, known) => {
      const keys = await keysOf(params);
      const found = known
        ? keys.find((candidate) => keyBody(candidate.key) === keyBody(known.key))
        : keys.find((candidate) => String(candidate.id) === params.keyId);
      if (found) return { present: true, key: found.key, title: found.title, readOnly: found.read_only };
      if (!known) throw stepFailure('NoSuchEntity', `${what(params)} does not exist`);
      return { ...known, present: false };
    },
    desired: (_params, before) => ({ ...before, present: false }),
    write: async (params, state) => {
      const octokit = await context.forOrg(params.owner);
      const { owner, repo } = params;
      const same = (await keysOf(params)).filter((candidate) => keyBody(candidate.key) === keyBody(state.key));
      if (state.present) {
        if (same.length) return;
        await githubCall(
          octokit.rest.repos.createDeployKey({
            owner,
            repo,
            key: state.key,
            title: state.title,
            read_only: state.readOnly,
          }),
          what(params),
        );
        return;
      }
      for (const key of same)
        await githubCall(octokit.rest.repos.deleteDeployKey({ owner, repo, key_id: key.id }), what(params)).catch(
          // Gone meanwhile (a retried attempt, or someone else): what the step wants.
          (error: { type?: string }) => {
            if (error.type !== 'NoSuchEntity') throw error;
          },
        );
    },
  };
}
