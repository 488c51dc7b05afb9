import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { CommanderError } from 'commander';
import fs from 'node:fs';
import { ConfigError } from '../../config/yaml-file';
import { ValidationError } from '../../model/validation';
import { connectFromEnv } from '../connect';
import type { IdraClient } from '../idra-client';

/** Bad command-line input: exit code 2. */
export class UsageError extends Error {}

export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    // A byte order mark is what some editors put first; it is not part of the JSON.
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    const reason = error instanceof RangeError ? 'nested too deeply' : (error as Error).message.slice(0, 200);
    throw new UsageError(`${file} is not valid JSON: ${reason}`);
  }
}

/** Connects (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE), runs, disconnects. Input is checked before connecting. */
export async function withClient<T>(input: T, run: (idra: IdraClient, input: T) => Promise<void>): Promise<void> {
  const { idra, close } = await connectFromEnv();
  try {
    await run(idra, input);
  } finally {
    await close();
  }
}

export function print(json: boolean | undefined, value: unknown, text: string): void {
  console.log(json ? JSON.stringify(value, null, 2) : text);
}

/** Exit codes: 0 done, 1 could not be done (server, not found, denied), 2 bad input. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof UsageError || error instanceof ValidationError || error instanceof ConfigError) {
    console.error(`idra: ${error.message}`);
    return 2;
  }
  if (error instanceof WorkflowUpdateFailedError) {
    console.error(`idra: denied: ${error.cause?.message ?? error.message}`);
    return 1;
  }
  if (error instanceof WorkflowNotFoundError) {
    console.error(
      `idra: no open response ${error.workflowId ?? ''}: it does not exist or has already closed (idra status shows a closed one)`,
    );
    return 1;
  }
  console.error(`idra: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}
