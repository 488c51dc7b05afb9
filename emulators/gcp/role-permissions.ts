/**
 * What the basic roles grant, for the permission checks the local GCP answers: a subset of each role's
 * permissions (those of the APIs it serves). Other roles grant nothing here.
 */
const VIEWER = [
  'resourcemanager.projects.get',
  'resourcemanager.projects.getIamPolicy',
  'iam.serviceAccounts.get',
  'iam.serviceAccounts.list',
  'iam.serviceAccountKeys.get',
  'iam.serviceAccountKeys.list',
  'secretmanager.secrets.get',
  'secretmanager.secrets.list',
];
const EDITOR = [
  ...VIEWER,
  'resourcemanager.projects.update',
  'iam.serviceAccounts.create',
  'iam.serviceAccounts.update',
  'iam.serviceAccountKeys.create',
  'iam.serviceAccountKeys.delete',
  'secretmanager.secrets.create',
  'secretmanager.secrets.delete',
];
const OWNER = [...EDITOR, 'resourcemanager.projects.setIamPolicy', 'resourcemanager.projects.delete'];

export const ROLE_PERMISSIONS: Record<string, readonly string[]> = {
  'roles/viewer': VIEWER,
  'roles/editor': EDITOR,
  'roles/owner': OWNER,
};
