/**
 * What the quarantine deny policy takes away: the permissions an attacker holding the account uses most —
 * minting credentials and tokens, acting as other accounts, changing IAM, and reading or changing data in
 * the common stores. Deny policies name permissions per service (`service.googleapis.com/resource.verb`);
 * there is no "deny everything". Each is on Google's "Permissions supported in deny policies" (checked against
 * a copy of the list of November 2025); Resource Manager's are named `cloudresourcemanager.googleapis.com/…`.
 */
export const QUARANTINE_PERMISSIONS = [
  'iam.googleapis.com/serviceAccountKeys.create',
  'iam.googleapis.com/serviceAccounts.actAs',
  'iam.googleapis.com/serviceAccounts.getAccessToken',
  'iam.googleapis.com/serviceAccounts.getOpenIdToken',
  'iam.googleapis.com/serviceAccounts.signBlob',
  'iam.googleapis.com/serviceAccounts.signJwt',
  'cloudresourcemanager.googleapis.com/projects.setIamPolicy',
  'storage.googleapis.com/objects.get',
  'storage.googleapis.com/objects.create',
  'storage.googleapis.com/objects.delete',
  'storage.googleapis.com/buckets.delete',
  'compute.googleapis.com/instances.create',
  'compute.googleapis.com/instances.delete',
  'compute.googleapis.com/instances.setMetadata',
  'secretmanager.googleapis.com/versions.access',
  'bigquery.googleapis.com/tables.getData',
];

/**
 * Drop write, keep read: each role's read-only counterpart. A role that is already read-only is kept; any
 * other role (not in this map) is removed, and the receipt's before/after shows which.
 */
export const READ_ONLY_ROLE: Readonly<Record<string, string>> = {
  'roles/owner': 'roles/viewer',
  'roles/editor': 'roles/viewer',
  'roles/storage.admin': 'roles/storage.objectViewer',
  'roles/storage.objectAdmin': 'roles/storage.objectViewer',
  'roles/storage.objectUser': 'roles/storage.objectViewer',
  'roles/compute.admin': 'roles/compute.viewer',
  'roles/compute.instanceAdmin.v1': 'roles/compute.viewer',
  'roles/bigquery.admin': 'roles/bigquery.dataViewer',
  'roles/bigquery.dataEditor': 'roles/bigquery.dataViewer',
  'roles/bigquery.dataOwner': 'roles/bigquery.dataViewer',
  'roles/pubsub.admin': 'roles/pubsub.viewer',
  'roles/pubsub.editor': 'roles/pubsub.viewer',
  'roles/secretmanager.admin': 'roles/secretmanager.viewer',
  'roles/cloudsql.admin': 'roles/cloudsql.viewer',
  'roles/cloudsql.editor': 'roles/cloudsql.viewer',
  'roles/container.admin': 'roles/container.viewer',
  'roles/container.developer': 'roles/container.viewer',
  'roles/run.admin': 'roles/run.viewer',
  'roles/run.developer': 'roles/run.viewer',
  'roles/cloudfunctions.admin': 'roles/cloudfunctions.viewer',
  'roles/cloudfunctions.developer': 'roles/cloudfunctions.viewer',
  'roles/logging.admin': 'roles/logging.viewer',
  'roles/monitoring.admin': 'roles/monitoring.viewer',
  'roles/monitoring.editor': 'roles/monitoring.viewer',
};

const READ_ONLY = new Set(Object.values(READ_ONLY_ROLE));

/** The read-only role to hold instead of `role`, or null when it is to be removed. */
export function readOnlyRole(role: string): string | null {
  if (READ_ONLY.has(role)) return role;
  return READ_ONLY_ROLE[role] ?? null;
}
