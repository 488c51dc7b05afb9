import { ownerOfLeakedKeyFile } from '../providers/gcp/leaked-key-owner';
import { ownerOfLeakedOAuthToken } from '../providers/github/sdk/leaked-token-owner';
import { type AlertRef, readAlert } from '../providers/github/sdk/secret-scanning-alert';
import type { GithubContext } from '../providers/github/sdk/github-context';
import type { LeakedCredentialOwner } from '../providers/provider';
import type { KeyOwnerLookup } from './eventbridge';

/** Finds who holds the credential a secret-scanning alert found: the webhook names the alert, never the secret. */
export type AlertOwnerFinder = (alert: AlertRef) => Promise<LeakedCredentialOwner>;

/**
 * Reads the alert's secret (the only place it is read: it is used here and dropped, never logged or put in a
 * signal) and names its holder by the alert's secret type. Types idra holds no credentials for are skipped,
 * naming the type.
 */
export function alertOwnerFinder(github: GithubContext, ownerOfAccessKey: KeyOwnerLookup): AlertOwnerFinder {
  return async (ref) => {
    const alert = await readAlert(github, ref, true);
    const secret = alert.secret ?? '';
    switch (alert.secret_type) {
      case 'aws_access_key_id':
        return ownerOfAccessKey(secret);
      case 'github_oauth_access_token':
        return ownerOfLeakedOAuthToken(github, secret);
      case 'google_cloud_private_key_id':
      case 'google_cloud_service_account_credentials':
        return ownerOfLeakedKeyFile(secret);
      default:
        return {
          skipped: `a ${alert.secret_type_display_name ?? 'secret'} (${alert.secret_type ?? 'unknown type'}): idra acts on AWS access keys, GCP service account keys and its OAuth apps' tokens found by secret scanning`,
        };
    }
  };
}
