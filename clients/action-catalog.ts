import { z } from 'zod';
import { ACTION_CATALOG } from '../providers/catalog';

/** One action as `idra actions --json` describes it: parameters as JSON Schema (of what a step may be given). */
export interface ActionDescription {
  name: string;
  provider: string;
  summary: string;
  reversible: boolean;
  appliesTo: string[];
  permissions: string[];
  params: unknown;
}

/**
 * The self-describing catalog: every action of every provider, from the registry (`custodian schema` is the
 * model). Parameters are described as a step's input (a schema that transforms, e.g. lower-cases a GUID,
 * accepts what its input side says).
 */
export function describeActions(): ActionDescription[] {
  return [...ACTION_CATALOG.values()].map(
    ({ name, provider, summary, reversible, appliesTo, permissions, params }) => ({
      name,
      provider,
      summary,
      reversible,
      appliesTo,
      permissions,
      params: z.toJSONSchema(params, { io: 'input' }),
    }),
  );
}

/** The catalog for people: what `idra actions` prints. */
export function actionsText(actions: ActionDescription[]): string {
  return actions
    .map(
      (action) =>
        `${action.name}${action.reversible ? '' : '  (irreversible)'}\n  ${action.summary}\n  acts on: ${action.appliesTo.join(', ')}\n  needs: ${action.permissions.join(', ')}`,
    )
    .join('\n\n');
}

/** The catalog as the markdown table docs/playbooks.md carries (made by `npm run docs`, checked by a test). */
export function actionsTable(actions: ActionDescription[]): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  return [
    '| action | acts on | undo | does |',
    '|---|---|---|---|',
    ...actions.map(
      (action) =>
        `| \`${action.name}\` | ${action.appliesTo.join(', ')} | ${action.reversible ? 'exact' : 'none: after approval only'} | ${cell(action.summary)} |`,
    ),
  ].join('\n');
}
