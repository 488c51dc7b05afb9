import fs from 'node:fs';
import { describe, expect, inject, it } from 'vitest';

/** The modules webpack put in the bundle, by the path it names each with. */
function bundledModules(): string[] {
  const code = fs.readFileSync(inject('workflowBundlePath'), 'utf8');
  return [...new Set([...code.matchAll(/^\/\*\*\*\/ "(\.\/[^"]+)"/gm)].map((match) => match[1] ?? ''))].sort();
}

describe('the workflow bundle holds plain orchestration code only', () => {
  // The sandbox runs every module of the bundle again for each workflow it starts or replays: a validation
  // library there costs every response milliseconds of CPU and megabytes of memory (docs/performance.md).
  it('has no validation library, no provider definitions, no planning policy and no SDK of a provider', () => {
    const modules = bundledModules();
    expect(modules).toContain('./workflows/response.ts');
    expect(
      modules.filter((path) =>
        /node_modules\/(zod|yaml|@aws-sdk|@google-cloud|@googleapis|@azure|@octokit)\//.test(path),
      ),
    ).toEqual([]);
    expect(modules.filter((path) => /^\.\/(providers|policy|activities|clients|config)\//.test(path))).toEqual([]);
  });
});
