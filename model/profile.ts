/** What idra knows about an identity when it plans: inventory first, then provider tags, then defaults. */
export interface IdentityProfile {
  owner?: string;
  tier: string;
  environment?: string;
  approverGroup: string;
  /** The identity's provider tags that idra believes (e.g. IAM user/role tags; see the inventory's `trustedTags`). */
  tags: Record<string, string>;
  /** idra tags (tier, approver group) the identity carries that the inventory does not trust: set aside, said in the plan. */
  ignoredTags?: string[];
}

/** What the identity's provider says about it when the response plans (read by `<provider>.identity.describe`). */
export interface IdentityFacts {
  /** Its provider tags (e.g. IAM user/role tags); none where the provider has no tags on identities. */
  tags: Record<string, string>;
  /** How many credentials of its kind it holds now, where the kind has a limit (e.g. 2 access keys per IAM user). */
  credentials?: number;
}
