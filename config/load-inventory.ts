import { type Inventory, inventoryProblems, inventorySchema } from '../policy/inventory';
import { ConfigError, readYamlFile } from './yaml-file';

/** Loads the identity inventory (owners, tiers, approver groups), refusing it whole if anything is wrong. */
export function loadInventory(file: string): Inventory {
  const { value, problems } = readYamlFile(file, inventorySchema);
  if (!value) throw new ConfigError(problems);
  const crossProblems = inventoryProblems(value).map((problem) => `${file}: ${problem}`);
  if (crossProblems.length) throw new ConfigError(crossProblems);
  return value;
}
