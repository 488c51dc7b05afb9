import type { Identity } from '../model/identity';

export interface BoundStep {
  target: string;
  params: Record<string, unknown>;
}

type Binder = (identity: Identity, incident: string) => BoundStep;

/**
 * How each action aims at the signal's identity. Pure: the workflow and dry runs use the same bindings,
 * so what a plan says it will touch is exactly what the activities receive.
 */
const BINDERS: Record<string, Binder> = {
  'aws.accessKey.deactivate': (identity) => ({
    target: `access key ${identity.accessKeyId} of IAM user ${identity.userName}`,
    params: { account: identity.account, userName: identity.userName, accessKeyId: identity.accessKeyId },
  }),
  // One policy per incident, so two open responses on one user never remove each other's quarantine.
  'aws.user.quarantine': (identity, incident) => ({
    target: `IAM user ${identity.userName}`,
    params: { account: identity.account, userName: identity.userName, policyName: `idra-quarantine-${incident}` },
  }),
};

export const BOUND_ACTIONS = Object.keys(BINDERS);

export function bindStep(action: string, identity: Identity, incident: string): BoundStep {
  const binder = BINDERS[action];
  if (!binder) throw new Error(`no binding for action "${action}" (known: ${BOUND_ACTIONS.join(', ')})`);
  return binder(identity, incident);
}
