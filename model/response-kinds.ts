/**
 * What a response does about the risk, as its playbook says (`kind:`):
 * - `contain`: change the identity's access at once, then an analyst approves (keep it, run the steps
 *   that wait for approval), rolls it back, or lets the timeout or TTL decide;
 * - `restrict_until_approved`: narrow the identity's access at once until a reviewer approves continued
 *   use; approval undoes the restriction exactly, rejection (or the timeout) keeps it;
 * - `just_in_time`: take the identity's standing privilege away at once and open a just-in-time path:
 *   its owner asks for a privilege for a while, approvers grant it time-boxed (the provider ends it even
 *   with idra down), and an analyst ends the path by restoring the standing privilege or keeping it off.
 */
export const RESPONSE_KINDS = ['contain', 'restrict_until_approved', 'just_in_time'] as const;
export type ResponseKind = (typeof RESPONSE_KINDS)[number];

export const DEFAULT_KIND: ResponseKind = 'contain';

/**
 * What each kind adds to an identity's incident id, so responses of two kinds for one identity are two
 * workflows (an identity restricted for review can be contained for a leak at the same time). Containment
 * adds nothing: its ids are the identity's.
 */
const INCIDENT_PREFIX: Record<ResponseKind, string> = {
  contain: '',
  restrict_until_approved: 'restrict-',
  just_in_time: 'jit-',
};

/** The incident id (workflow id) of an identity's response of a kind: the same for every signal of that kind. */
export function incidentIdOf(identityKey: string, kind: ResponseKind): string {
  return `idra-${INCIDENT_PREFIX[kind]}${identityKey}`;
}
