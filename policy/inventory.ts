import { z } from 'zod';
import { type Identity, identityAccount } from '../model/identity';
import type { IdentityProfile } from '../model/profile';
import { identityKind, PROVIDER_IDS } from '../providers/catalog';
import { PROVIDERS } from '../providers/registry';

const groupName = z.string().regex(/^[\w.-]{1,100}$/, 'must be a group name (letters, digits, ._-)');

// Each provider says what an entry's `match` names (e.g. an AWS account and a user or role name).
const matchSchema = z.discriminatedUnion(
  'provider',
  PROVIDERS.map((provider) => provider.inventoryMatch) as unknown as [z.ZodObject, ...z.ZodObject[]],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `must name a provider (one of: ${PROVIDER_IDS.join(', ')}) and the fields it matches on`
        : undefined,
  },
);

const entrySchema = z.strictObject({
  match: matchSchema,
  owner: z.string().min(1).optional(),
  tier: z.string().min(1).optional(),
  environment: z.string().min(1).optional(),
  approverGroup: groupName.optional(),
});

/** Provider tag keys idra believes, in the accounts named (every account when none are). */
const tagTrustSchema = z.strictObject({
  keys: z.array(z.string().min(1)).min(1, 'must list at least one tag key'),
  accounts: z.array(z.string().min(1)).min(1).optional(),
});

/** Who owns what, how precious it is, who may decide about it, and which provider tags to believe. */
export const inventorySchema = z.strictObject({
  groups: z.record(groupName, z.array(z.string().min(1)).min(1, 'must list at least one member')),
  defaults: z.strictObject({ tier: z.string().min(1).default('standard'), approverGroup: groupName }),
  identities: z.array(entrySchema).default([]),
  trustedTags: z.array(tagTrustSchema).default([]),
});
export type Inventory = z.output<typeof inventorySchema>;

/** The tier that keeps an identity from ever being changed automatically. */
export const PROTECTED_TIER = 'protected';

/** Provider tags that describe an identity to idra, e.g. `idra:tier = protected` on an IAM role. */
export const PROFILE_TAGS = {
  owner: 'idra:owner',
  tier: 'idra:tier',
  environment: 'idra:environment',
  approverGroup: 'idra:approver-group',
} as const;

export function inventoryProblems(inventory: Inventory): string[] {
  const groups = new Set(Object.keys(inventory.groups));
  const problems: string[] = [];
  if (!groups.has(inventory.defaults.approverGroup))
    problems.push(`defaults.approverGroup: unknown group "${inventory.defaults.approverGroup}"`);
  inventory.identities.forEach((entry, index) => {
    if (entry.approverGroup && !groups.has(entry.approverGroup))
      problems.push(`identities.${index}.approverGroup: unknown group "${entry.approverGroup}"`);
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

/**
 * Tags that only describe (owner, environment) are believed everywhere. Any other tag — the tier, the
 * approver group, a key a playbook matches on — counts only where the inventory trusts it: the principal
 * being responded to may be able to tag itself (CI roles often can), and must not mark itself protected to
 * dodge containment, pick its own approvers, or steer which playbook answers.
 */
const DESCRIPTIVE_TAGS: readonly string[] = [PROFILE_TAGS.owner, PROFILE_TAGS.environment];

function trusted(inventory: Inventory, account: string, key: string): boolean {
  return (
    DESCRIPTIVE_TAGS.includes(key) ||
    inventory.trustedTags.some((rule) => rule.keys.includes(key) && (!rule.accounts || rule.accounts.includes(account)))
  );
}

/** The identity's profile. Pure: the tags were read from the provider beforehand; those not trusted are set aside. */
export function profileOf(inventory: Inventory, identity: Identity, tags: Record<string, string>): IdentityProfile {
  const entry = entryFor(inventory, identity);
  const account = identityAccount(identity);
  const believed = Object.fromEntries(Object.entries(tags).filter(([key]) => trusted(inventory, account, key)));
  // Named in the plan: the idra tags that would have set the profile (other untrusted tags only fail to match).
  const ignored = Object.values(PROFILE_TAGS).filter((key) => key in tags && !(key in believed));
  return {
    owner: entry?.owner ?? believed[PROFILE_TAGS.owner],
    tier: entry?.tier ?? believed[PROFILE_TAGS.tier] ?? inventory.defaults.tier,
    environment: entry?.environment ?? believed[PROFILE_TAGS.environment],
    approverGroup: entry?.approverGroup ?? believed[PROFILE_TAGS.approverGroup] ?? inventory.defaults.approverGroup,
    tags: believed,
    ...(ignored.length ? { ignoredTags: ignored } : {}),
  };
}
