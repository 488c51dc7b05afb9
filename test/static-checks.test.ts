import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..');
const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);

/** A tool's verdict on the checkout: its exit code and what it said (vitest itself never type-checks). */
async function verdict(tool: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(bin(tool), args, { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`.slice(0, 4000) };
  }
}

describe('the checkout is type-checked, lint-clean and formatted', () => {
  it('tsc --noEmit (strict) finds no error', async () => {
    expect(await verdict('tsc', ['--noEmit', '-p', '.'])).toEqual({ code: 0, output: '' });
  });

  it('eslint (type-aware; workflow code may not import I/O, zod or provider code) finds no problem', async () => {
    expect(await verdict('eslint', ['.'])).toEqual({ code: 0, output: '' });
  });

  it('prettier finds every file formatted (120 columns)', async () => {
    expect((await verdict('prettier', ['--check', '.'])).code).toBe(0);
  });
});
