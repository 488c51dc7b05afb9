import path from 'node:path';
import { z } from 'zod';
import { parseOrThrow } from '../model/validation';
import { PROJECT_ROOT } from './paths';

/** Where the playbooks and the inventory live: read by the responses worker and by `idra plan`. */
export const configLocationsEnv = {
  IDRA_PLAYBOOKS_DIR: z.string().min(1).default(path.join(PROJECT_ROOT, 'playbooks')),
  IDRA_INVENTORY_FILE: z
    .string()
    .min(1)
    .default(path.join(PROJECT_ROOT, 'inventory', 'inventory.yaml')),
};

export function configLocations(env: NodeJS.ProcessEnv = process.env): { playbooksDir: string; inventoryFile: string } {
  const parsed = parseOrThrow(z.object(configLocationsEnv), env, 'configuration locations');
  return { playbooksDir: parsed.IDRA_PLAYBOOKS_DIR, inventoryFile: parsed.IDRA_INVENTORY_FILE };
}
