/** What idra knows about an identity when it plans: inventory first, then provider tags, then defaults. */
export interface IdentityProfile {
  owner?: string;
  tier: string;
  environment?: string;
  approverGroup: string;
  /** The identity's provider tags (e.g. IAM user/role tags). */
  tags: Record<string, string>;
}
