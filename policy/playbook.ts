import { z } from 'zod';
import { IDENTITY_KINDS, PROVIDER_IDS } from '../providers/catalog';
import { DEFAULT_KIND, RESPONSE_KINDS } from '../model/response-kinds';
import { SEVERITIES, SIGNAL_TYPES } from '../model/signal-types';
import { durationSchema } from '../model/duration-schema';

const actionName = z
  .string()
  .regex(/^[a-z]+(\.[A-Za-z]+)+$/, 'must be an action name such as "aws.accessKey.deactivate"');
const groupName = z.string().regex(/^[\w.-]{1,100}$/, 'must be a group name (letters, digits, ._-)');

/** A containment stage: one action, or several run in parallel. */
export const stageSchema = z.union(
  [actionName, z.strictObject({ parallel: z.array(actionName).min(2, 'must list at least two actions') })],
  {
    error: 'must be an action name or {parallel: [action, ...]}',
  },
);

/**
 * A just_in_time response's path (model/jit.ts): the action that writes a time-boxed grant, the privileges
 * it may grant (each a list of what the grant action grants: managed policy ARNs, roles), and its rules.
 */
const PRIVILEGE_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const jitSchema = z.strictObject({
  grant: actionName,
  privileges: z
    .record(z.string(), z.array(z.string().min(1).max(300)).min(1, 'must grant at least one thing').max(10))
    // Checked here rather than by the key's schema: zod reports a bad record key without its message.
    .superRefine((privileges, context) => {
      const names = Object.keys(privileges);
      if (!names.length) context.addIssue({ code: 'custom', message: 'must name at least one privilege' });
      for (const name of names.filter((name) => !PRIVILEGE_NAME.test(name)))
        context.addIssue({
          code: 'custom',
          path: [name],
          message: 'must be a privilege name (lower-case letters, digits and dashes, at most 40)',
        });
    }),
  maxDuration: durationSchema,
  requestTimeout: durationSchema.default('30m'),
  /** An undecided request after requestTimeout: it lapses, or decision.escalateTo may decide it too (for as long again). */
  onRequestTimeout: z.enum(['lapse', 'escalate']).default('lapse'),
  /** How many distinct approvers a grant needs (the requester never counts). */
  required: z.number().int().min(1).max(10).default(1),
  /** Who may ask besides the identity's owner (people, or an automation's own name). */
  requesters: z.array(z.string().min(1).max(200)).max(50).default([]),
});

/**
 * A playbook, as written in playbooks/*.yaml. Defaults are filled in at load, so the plan (and the
 * history) states every rule that applied.
 */
export const playbookSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes'),
  version: z.number().int().positive('must be a positive whole number'),
  description: z.string().max(500).optional(),
  /** What the response does: contain, then decide; or restrict until a reviewer approves (model/response-kinds.ts). */
  kind: z.enum(RESPONSE_KINDS).default(DEFAULT_KIND),
  /** Which signals the playbook answers; the highest priority among matching playbooks wins. */
  match: z.strictObject({
    types: z.array(z.enum(SIGNAL_TYPES)).min(1, 'must name at least one signal type'),
    providers: z
      .array(z.enum(PROVIDER_IDS as [string, ...string[]]))
      .min(1)
      .optional(),
    kinds: z.array(z.enum(IDENTITY_KINDS as [string, ...string[]])).min(1, 'must name at least one identity kind'),
    minSeverity: z.enum(SEVERITIES).default('low'),
    tiers: z.array(z.string().min(1)).min(1).optional(),
    tags: z.record(z.string(), z.string()).optional(),
  }),
  priority: z.number().int().default(0),
  /**
   * Containment, applied at once (or after approval when guarded): stages in order. None only where nothing
   * reversible can hold the identity (a leaked GitHub token): the response then acts after approval alone.
   */
  steps: z.array(stageSchema).default([]),
  /** Run only once the response is approved; the only place irreversible actions may appear. */
  afterApproval: z.array(actionName).default([]),
  /** Options of this playbook's actions, by action name: what each action's `options` takes (policy/check-playbook.ts). */
  with: z.record(actionName, z.record(z.string(), z.unknown())).default({}),
  approval: z
    .strictObject({
      /** Who may decide; without it, the identity's approver group from the inventory. */
      group: groupName.optional(),
      /** How many distinct approvers an approval needs. */
      required: z.number().int().min(1).max(10).default(1),
      /** The person who raised the signal cannot approve its response. */
      fourEyes: z.boolean().default(false),
      /** Ask before changing anything, for every identity this playbook matches. */
      beforeContainment: z.boolean().default(false),
    })
    .prefault({}),
  decision: z.strictObject({
    timeout: durationSchema,
    /** Fail safe by default: without a decision the identity stays contained. */
    onTimeout: z.enum(['stay_contained', 'rollback', 'escalate']).default('stay_contained'),
    /** The group that takes over when the timeout escalates. */
    escalateTo: groupName.optional(),
  }),
  /** When a step fails: keep what was applied and escalate (hold), or undo everything (rollback). */
  onFailure: z.enum(['hold', 'rollback']).default('hold'),
  /** While contained and awaiting a decision, re-check every applied step this often; `off`: never. */
  watch: z.union([durationSchema, z.literal('off')]).default('5m'),
  /** A contained target changed back by someone else (tampering): apply the step again, or only record it. */
  onTamper: z.enum(['reapply', 'alert']).default('reapply'),
  /** When the response is cancelled (`idra cancel`, or a Temporal cancellation): undo everything, or keep it. */
  onCancel: z.enum(['rollback', 'hold']).default('rollback'),
  /** Auto-revert the containment after this long unless an analyst confirms or approves it. */
  ttl: durationSchema.optional(),
  /** Required for (and only for) a just_in_time response. */
  jit: jitSchema.optional(),
});

export type Playbook = z.output<typeof playbookSchema>;
export type PlaybookStage = z.output<typeof stageSchema>;
export type PlaybookJit = z.output<typeof jitSchema>;
