import { z } from 'zod';
import type { LeakedCredentialOwner } from '../provider';
import { gcpKeyId, gcpProjectId, type GcpServiceAccountKeyIdentity, serviceAccountEmail } from './identity';

/** The fields of a service account key file that name its key (the private key itself is never read). */
const keyFile = z.object({
  type: z.literal('service_account'),
  project_id: gcpProjectId,
  private_key_id: gcpKeyId,
  client_email: serviceAccountEmail,
});

/**
 * The service account key a leaked key file is: the file names its account, project and key id. A key id
 * found alone names no account (finding it would mean listing every account's keys), so it is not acted on.
 */
export function ownerOfLeakedKeyFile(secret: string): LeakedCredentialOwner<GcpServiceAccountKeyIdentity> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret);
  } catch {
    return { skipped: 'the alert holds a key id without its key file, which would name its service account' };
  }
  const file = keyFile.safeParse(parsed);
  if (!file.success) return { skipped: 'the alert holds no service account key file' };
  const { project_id: project, client_email: email, private_key_id: keyId } = file.data;
  return { identity: { provider: 'gcp', kind: 'service_account_key', project, email, keyId } };
}
