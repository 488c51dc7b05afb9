import { z } from 'zod';
import type { Identity } from '../model/identity';

const groupName = z.string().regex(/^[\w.-]{1,100}$/, 'must be a group name (letters, digits, ._-)');

const entrySchema = z.strictObject({
  match: z.union([
    z.strictObject({ provider: z.literal('aws'), account: z.string().regex(/^\d{12}$/), userName: z.string().min(1) }),
    z.strictObject({ provider: z.literal('aws'), account: z.string().regex(/^\d{12}$/), roleName: z.string().min(1) }),
  ], { error: 'must name {provider, account} and one of userName or roleName' }),
  owner: z.string().min(1).optional(),
  tier: z.string().min(1).optional(),
  environment: z.string().min(1).optional(),
  approverGroup: groupName.optional(),
});

/** Who owns what, how precious it is, and who may decide about it. */
export const inventorySchema = z.strictObject({
  groups: z.record(groupName, z.array(z.string().min(1)).min(1, 'must list at least one member')),
  defaults: z.strictObject({ tier: z.string().min(1).default('standard'), approverGroup: groupName }),
  identities: z.array(entrySchema).default([]),
});
export type Inventory = z.output<typeof inventorySchema>;

/** The tier that keeps an identity from ever being changed automatically. */
export const PROTECTED_TIER = 'protected';

/** What idra knows about an identity when it plans: inventory first, then provider tags, then defaults. */
export interface IdentityProfile {
  owner?: string;
  tier: string;
  environment?: string;
  approverGroup: string;
  /** The identity's provider tags (e.g. IAM user/role tags). */
  tags: Record<string, string>;
}

/** Provider tags that describe an identity to idra, e.g. `idra:tier = protected` on an IAM role. */
export const PROFILE_TAGS = { owner: 'idra:owner', tier: 'idra:tier', environment: 'idra:environment', approverGroup: 'idra:approver-group' } as const;

export function inventoryProblems(inventory: Inventory): string[] {
  const groups = new Set(Object.keys(inventory.groups));
  const problems: string[] = [];
  if (!groups.has(inventory.defaults.approverGroup)) problems.push(`defaults.approverGroup: unknown group "${inventory.defaults.approverGroup}"`);
  inventory.identities.forEach((entry, index) => {
    if (entry.approverGroup && !groups.has(entry.approverGroup)) problems.push(`identities.${index}.approverGroup: unknown group "${entry.approverGroup}"`);
  });
  return problems;
}

function entryFor(inventory: Inventory, identity: Identity) {
  const principal = identity.kind === 'access_key' ? { userName: identity.userName } : { roleName: identity.roleName };
  return inventory.identities.find(({ match }) =>
    match.provider === identity.provider && match.account === identity.account &&
    ('userName' in match ? match.userName === principal.userName : match.roleName === principal.roleName),
  );
}

/** The identity's profile. Pure: the tags were read from the provider beforehand. */
export function profileOf(inventory: Inventory, identity: Identity, tags: Record<string, string>): IdentityProfile {
  const entry = entryFor(inventory, identity);
  return {
    owner: entry?.owner ?? tags[PROFILE_TAGS.owner],
    tier: entry?.tier ?? tags[PROFILE_TAGS.tier] ?? inventory.defaults.tier,
    environment: entry?.environment ?? tags[PROFILE_TAGS.environment],
    approverGroup: entry?.approverGroup ?? tags[PROFILE_TAGS.approverGroup] ?? inventory.defaults.approverGroup,
    tags,
  };
}
