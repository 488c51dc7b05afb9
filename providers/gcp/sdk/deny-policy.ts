import type { Action } from '../../../activities/action';
import { principalOf } from '../names';
import { QUARANTINE_PERMISSIONS } from '../quarantine';
import { type GcpContext, gcpCall, gcpFind } from './gcp-context';
import type { ParamsOf } from '../../provider';
import { gcpServiceAccountDeny } from '../actions';

type DenyParams = ParamsOf<typeof gcpServiceAccountDeny>;
/** The one rule idra's policy holds (null: no policy of that id); timestamps and etags are not state. */
type DenyState = { policy: { deniedPrincipals: string[]; deniedPermissions: string[] } | null };

// The attachment point is a full resource name, URL-encoded inside the policy's name.
const collection = ({ project }: DenyParams) =>
  `policies/${encodeURIComponent(`cloudresourcemanager.googleapis.com/projects/${project}`)}/denypolicies`;
const policyName = (params: DenyParams) => `${collection(params)}/${params.policyId}`;

/** Quarantine with an IAM deny policy of its own per incident: the project's other deny policies are never read or written. */
export function accountDeny(gcp: GcpContext): Action<ParamsOf<typeof gcpServiceAccountDeny>, DenyState> {
  const what = (params: DenyParams) => `deny policy ${params.policyId} in project ${params.project}`;
  const current = (params: DenyParams) =>
    gcpFind(gcp.denyPolicies.getPolicy({ name: policyName(params) }), what(params));
  return {
    spec: gcpServiceAccountDeny,
    read: async (params) => {
      const found = await current(params);
      const rule = found?.[0].rules?.[0]?.denyRule;
      return {
        policy: rule
          ? {
              deniedPrincipals: [...(rule.deniedPrincipals ?? [])].sort(),
              deniedPermissions: [...(rule.deniedPermissions ?? [])].sort(),
            }
          : null,
      };
    },
    desired: ({ email }) => ({
      policy: { deniedPrincipals: [principalOf(email)], deniedPermissions: [...QUARANTINE_PERMISSIONS].sort() },
    }),
    write: async (params, { policy }) => {
      if (policy === null) {
        const found = await current(params);
        if (!found) return;
        // The etag makes the delete refuse a policy someone changed since this read.
        const [operation] = await gcpCall(
          gcp.denyPolicies.deletePolicy({ name: policyName(params), etag: found[0].etag ?? undefined }),
          what(params),
        );
        await gcpCall(operation.promise(), what(params));
        return;
      }
      const [operation] = await gcpCall(
        gcp.denyPolicies.createPolicy({
          parent: collection(params),
          policyId: params.policyId,
          policy: { displayName: `idra quarantine of ${params.email}`.slice(0, 63), rules: [{ denyRule: policy }] },
        }),
        what(params),
      );
      await gcpCall(operation.promise(), what(params));
    },
  };
}
