import { configProblems } from '../policy/check-config';
import type { Inventory } from '../policy/inventory';
import type { Playbook } from '../policy/playbook';
import { loadInventory } from './load-inventory';
import { loadPlaybooks } from './load-playbooks';
import { ConfigError } from './yaml-file';

export interface ResponseConfig {
  playbooks: Playbook[];
  inventory: Inventory;
}

/** The playbooks and the inventory, each valid on its own and together; refused whole with every problem named. */
export function loadResponseConfig(locations: { playbooksDir: string; inventoryFile: string }): ResponseConfig {
  const config = {
    playbooks: loadPlaybooks(locations.playbooksDir),
    inventory: loadInventory(locations.inventoryFile),
  };
  const problems = configProblems(config.playbooks, config.inventory);
  if (problems.length) throw new ConfigError(problems);
  return config;
}
