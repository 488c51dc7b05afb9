/**
 * Writes what docs show of the code's own catalogs (`npm run docs`): the actions table in
 * docs/playbooks.md, from the action catalog. test/docs.test.ts fails when the docs and the code differ.
 */
import fs from 'node:fs';
import path from 'node:path';
import { actionsTable, describeActions } from '../clients/action-catalog';
import { PROJECT_ROOT } from '../config/paths';

export const PLAYBOOKS_DOC = path.join(PROJECT_ROOT, 'docs', 'playbooks.md');
const START = '<!-- actions table: made from the catalog by `npm run docs` (a test keeps it so) -->';
const END = '<!-- end of actions table -->';

/** The doc's text with the generated part as the code says it is now. */
export function withGeneratedActions(doc: string): string {
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${PLAYBOOKS_DOC}: the actions table markers are missing`);
  return `${doc.slice(0, start + START.length)}\n${actionsTable(describeActions())}\n${doc.slice(end)}`;
}

if (require.main === module) {
  fs.writeFileSync(PLAYBOOKS_DOC, withGeneratedActions(fs.readFileSync(PLAYBOOKS_DOC, 'utf8')));
  console.log(`wrote the actions table of ${path.relative(process.cwd(), PLAYBOOKS_DOC)}`);
}
