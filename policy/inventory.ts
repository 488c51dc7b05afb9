import { z } from 'zod';
import type { Identity } from '../model/identity';
import type { IdentityProfile } from '../model/profile';
import { identityKind, PROVIDER_IDS } from '../providers/catalog';
import { PROVIDERS } from '../providers/registry';

const groupName = z.string().regex(/^[\w.-]{1,100}$/, 'must be a group name (letters, digits, ._-)');

// Each provider says what an entry's `match` names (e.g. an AWS account and a user or role name).
const matchSchema = z.discriminatedUnion('provider', PROVIDERS.map((provider) => provider.inventoryMatch) as unknown as [z.ZodObject, ...z.ZodObject[]], {
  error: (issue) => (issue.code === 'invalid_union' ? `must name a provider (one of: ${PROVIDER_IDS.join(', ')}) and the fields it matches on` : undefined),
});

const entrySchema = z.strictObject({
  match: matchSchema,
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

/** The entry whose `match` names exactly this identity's provider and fields (e.g. the key's IAM user). */
export function entryFor(inventory: Inventory, identity: Identity) {
  const key = identityKind(identity).inventoryKey(identity);
  return inventory.identities.find(({ match }) => {
    const { provider, ...fields } = match as Record<string, string>;
    return provider === identity.provider && Object.entries(fields).every(([field, value]) => key[field] === value);
  });
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
