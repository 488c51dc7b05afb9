/**
 * What the basic roles and a few predefined ones grant, for the permission checks the local GCP answers: a
 * subset of each role's permissions. Other roles grant nothing here.
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

const RUN_VIEWER = ['run.services.get', 'run.services.list', 'run.revisions.get', 'run.revisions.list'];
const RUN_ADMIN = [
  ...RUN_VIEWER,
  'run.services.create',
  'run.services.update',
  'run.services.delete',
  'run.services.setIamPolicy',
];

export const ROLE_PERMISSIONS: Record<string, readonly string[]> = {
  'roles/run.viewer': RUN_VIEWER,
  'roles/run.admin': RUN_ADMIN,
  'roles/viewer': VIEWER,
  'roles/editor': EDITOR,
  'roles/owner': OWNER,
};
