import { type GithubContext, githubCall } from './github-context';

/** Where a secret-scanning alert is: its repository and number. */
export interface AlertRef {
  owner: string;
  repo: string;
  number: string;
}

export const alertName = ({ owner, repo, number }: AlertRef) => `secret-scanning alert ${number} of ${owner}/${repo}`;

/**
 * Reads a secret-scanning alert through idra's app on its organization. `withSecret`: the secret it found is
 * in the answer (only a step that must act by it asks); otherwise GitHub leaves it out, so it never reaches
 * the worker at all.
 */
export async function readAlert(context: GithubContext, alert: AlertRef, withSecret = false) {
  const octokit = await context.forOrg(alert.owner);
  const { data } = await githubCall(
    octokit.rest.secretScanning.getAlert({
      owner: alert.owner,
      repo: alert.repo,
      alert_number: Number(alert.number),
      hide_secret: !withSecret,
    }),
    alertName(alert),
  );
  return data;
}
