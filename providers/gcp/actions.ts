import { z } from 'zod';
import type { Identity } from '../../model/identity';
import { defineAction, type ActionSpec, type BoundStep } from '../provider';
import { asGcp, gcpKeyId, gcpProjectId, type GcpServiceAccountKeyIdentity, serviceAccountEmail } from './identity';
import { shortName } from './names';

const email = serviceAccountEmail;
const gcpRole = z
  .string()
  .regex(/^(roles|projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/roles)\/[\w.]{1,100}$/, 'must be a role name');
/** A role a conditional binding may hold: IAM Conditions cannot be used with basic roles. */
const conditionalRole = gcpRole.refine((role) => !['roles/owner', 'roles/editor', 'roles/viewer'].includes(role), {
  message:
    'must not be a basic role (roles/owner, roles/editor, roles/viewer): IAM Conditions cannot be used with them',
});
const accountParams = z.strictObject({ project: gcpProjectId, email });
const keyParams = z.strictObject({ project: gcpProjectId, email, keyId: gcpKeyId });

function requireKey(identity: Identity): GcpServiceAccountKeyIdentity {
  const gcp = asGcp(identity);
  if (gcp.kind !== 'service_account_key')
    throw new Error(`expected a gcp service_account_key identity, got ${gcp.kind}`);
  return gcp;
}

/** Aims an action at exactly the key the signal names. */
function bindKey(identity: Identity): BoundStep {
  const { project, email: account, keyId } = requireKey(identity);
  return { target: `key ${keyId} of service account ${account}`, params: { project, email: account, keyId } };
}

/** Aims an action at the service account itself (for a key: its account). */
function bindAccount(identity: Identity): BoundStep {
  const { project, email: account } = asGcp(identity);
  return { target: `service account ${account}`, params: { project, email: account } };
}

const BOTH = ['service_account', 'service_account_key'];

export const gcpServiceAccountKeyDisable = defineAction({
  name: 'gcp.serviceAccountKey.disable',
  provider: 'gcp',
  summary: 'Disable one service account key; rollback enables it again if it was enabled',
  reversible: true,
  ocsfActivity: { apply: 5, compensate: 2 },
  permissions: ['iam.serviceAccountKeys.get', 'iam.serviceAccountKeys.disable', 'iam.serviceAccountKeys.enable'],
  appliesTo: ['service_account_key'],
  params: keyParams,
  bind: bindKey,
});

export const gcpServiceAccountKeyDelete = defineAction({
  name: 'gcp.serviceAccountKey.delete',
  provider: 'gcp',
  summary: 'Delete one service account key (irreversible: runs only after approval)',
  reversible: false,
  credential: 'removes',
  ocsfActivity: { apply: 6, compensate: 99 },
  permissions: ['iam.serviceAccountKeys.get', 'iam.serviceAccountKeys.delete'],
  appliesTo: ['service_account_key'],
  params: keyParams,
  bind: bindKey,
});

export const gcpServiceAccountKeyRotate = defineAction({
  name: 'gcp.serviceAccountKey.rotate',
  provider: 'gcp',
  summary:
    'Create a new key for the service account and store it in Secret Manager (only its resource name is recorded); rollback deletes the new key and the secret',
  reversible: true,
  credential: 'adds',
  permissions: [
    'iam.serviceAccountKeys.list',
    'iam.serviceAccountKeys.create',
    'iam.serviceAccountKeys.delete',
    'secretmanager.secrets.create',
    'secretmanager.secrets.get',
    'secretmanager.secrets.update',
    'secretmanager.secrets.delete',
    'secretmanager.versions.add',
  ],
  appliesTo: ['service_account_key'],
  params: z.strictObject({
    project: gcpProjectId,
    email,
    keyId: gcpKeyId,
    secretId: z.string().regex(/^[\w-]{1,255}$/),
  }),
  bind: (identity) => {
    const { project, email: account, keyId } = requireKey(identity);
    return {
      target: `a new key for service account ${account} (replacing ${keyId})`,
      params: { project, email: account, keyId, secretId: `idra-rotated-${keyId}` },
    };
  },
});

export const gcpServiceAccountDisable = defineAction({
  name: 'gcp.serviceAccount.disable',
  provider: 'gcp',
  summary: 'Disable the service account (its tokens stop working); rollback enables it again if it was enabled',
  reversible: true,
  ocsfActivity: { apply: 5, compensate: 2 },
  permissions: ['iam.serviceAccounts.get', 'iam.serviceAccounts.disable', 'iam.serviceAccounts.enable'],
  appliesTo: BOTH,
  params: accountParams,
  bind: bindAccount,
});

export const gcpServiceAccountDeny = defineAction({
  name: 'gcp.serviceAccount.deny',
  provider: 'gcp',
  summary:
    'Quarantine: an IAM deny policy on the project naming this service account (high-impact permissions); rollback deletes exactly that policy',
  reversible: true,
  ocsfActivity: { apply: 7, compensate: 8 },
  permissions: ['iam.denypolicies.get', 'iam.denypolicies.create', 'iam.denypolicies.delete'],
  appliesTo: BOTH,
  params: z.strictObject({
    project: gcpProjectId,
    email,
    policyId: z.string().regex(/^[a-z][a-z0-9-]{0,61}[a-z0-9]$/),
  }),
  bind: (identity, { incident }) => ({
    ...bindAccount(identity),
    // One policy per incident: two responses on one account never delete each other's policy.
    params: { ...bindAccount(identity).params, policyId: `idra-deny-${shortName(incident)}` },
  }),
});

export const gcpServiceAccountReadOnly = defineAction({
  name: 'gcp.serviceAccount.readOnly',
  provider: 'gcp',
  summary:
    "Drop write, keep read: the account's roles on the project become their read-only counterparts (others are removed); rollback restores exactly its bindings",
  reversible: true,
  ocsfActivity: { apply: 8, compensate: 7 },
  permissions: ['resourcemanager.projects.getIamPolicy', 'resourcemanager.projects.setIamPolicy'],
  appliesTo: BOTH,
  params: accountParams,
  bind: (identity) => ({
    ...bindAccount(identity),
    target: `project roles of service account ${asGcp(identity).email}`,
  }),
});

export const gcpServiceAccountRemoveStandingRoles = defineAction({
  name: 'gcp.serviceAccount.removeStandingRoles',
  provider: 'gcp',
  summary:
    "Remove the account's unconditional project bindings of the just-in-time playbook's privileged roles (its other roles stay); rollback restores exactly those bindings",
  reversible: true,
  ocsfActivity: { apply: 8, compensate: 7 },
  permissions: ['resourcemanager.projects.getIamPolicy', 'resourcemanager.projects.setIamPolicy'],
  appliesTo: ['service_account'],
  params: accountParams.extend({ roles: z.array(gcpRole).min(1).max(20) }),
  bind: (identity, { privileges }) => {
    if (!privileges) return undefined;
    const { project, email: account } = asGcp(identity);
    const roles = [...new Set(Object.values(privileges).flat())].sort();
    return {
      target: `standing roles ${roles.join(', ')} of service account ${account}`,
      params: { project, email: account, roles },
    };
  },
});

export const gcpServiceAccountGrantTimeBoxed = defineAction({
  name: 'gcp.serviceAccount.grantTimeBoxed',
  provider: 'gcp',
  summary:
    "Grant the account a privilege's roles as conditional project bindings that hold only while request.time is before the grant's end; removing them ends the grant early",
  reversible: true,
  ocsfActivity: { apply: 7, compensate: 8 },
  permissions: ['resourcemanager.projects.getIamPolicy', 'resourcemanager.projects.setIamPolicy'],
  appliesTo: ['service_account'],
  timeBoxed: {
    grants: conditionalRole,
    what: 'a predefined or custom role (IAM Conditions cannot be used with the basic roles roles/owner, roles/editor, roles/viewer)',
  },
  params: accountParams.extend({
    roles: z.array(conditionalRole).min(1).max(10),
    title: z.string().regex(/^idra-jit-[a-z0-9-]{1,40}$/),
    endsAt: z.iso.datetime().optional(),
    grant: z.string().max(40).optional(),
  }),
  bind: (identity, { privilege }) => {
    if (!privilege) return undefined;
    const { project, email: account } = asGcp(identity);
    return {
      target: `time-boxed ${privilege.name} grant to service account ${account}`,
      params: { project, email: account, roles: privilege.grants, title: `idra-jit-${privilege.name}` },
    };
  },
});

export const GCP_ACTIONS: ActionSpec[] = [
  gcpServiceAccountKeyDisable,
  gcpServiceAccountKeyDelete,
  gcpServiceAccountKeyRotate,
  gcpServiceAccountDisable,
  gcpServiceAccountDeny,
  gcpServiceAccountReadOnly,
  gcpServiceAccountRemoveStandingRoles,
  gcpServiceAccountGrantTimeBoxed,
];
