import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

// Workflow code is replayed deterministically in a sandbox: no I/O, no Node built-ins, no provider SDKs,
// and only the workflow-safe parts of the Temporal SDK.
const workflowBannedImports = [
  ...builtinModules.flatMap((name) => [name, `node:${name}`]),
  '@aws-sdk/*',
  '@google-cloud/*',
  '@googleapis/*',
  '@azure/*',
  '@octokit/*',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
];

/** Product code reaches providers through configuration only: never through a local stand-in. */
const LOCAL_HARNESS = {
  group: ['**/emulators/**', '**/infra/**'],
  message: 'product code never imports the local harness or emulators',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.tools/', '.venv/', '.data/', 'bin/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Providers' definitions are pure too (workflows read them); only their worker.ts and sdk/ do I/O.
    files: ['workflows/**/*.ts', 'model/**/*.ts', 'policy/**/*.ts', 'api/**/*.ts', 'providers/**/*.ts'],
    ignores: ['providers/*/worker.ts', 'providers/*/sdk/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: workflowBannedImports
            .filter((name) => !name.includes('*'))
            .map((name) => ({ name, message: 'workflow code must stay deterministic and free of I/O' })),
          patterns: [
            {
              group: workflowBannedImports.filter((name) => name.includes('*')),
              message: 'provider SDKs belong in providers/<id>/sdk/',
            },
            {
              group: ['**/activities/*', '!**/activities/*.d.ts'],
              allowTypeImports: true,
              message: 'workflows import activity types only',
            },
          ],
        },
      ],
    },
  },
  {
    // Workflow code runs on plain data: every module of the bundle is run again for each workflow, so no
    // validation library, and no provider definitions (their schemas are zod); plans carry what it needs.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'zod',
              message: 'workflow code validates with model/plain-checks.ts; zod belongs in clients and activities',
            },
          ],
          patterns: [
            {
              group: [
                '**/providers/*',
                '**/policy/*',
                '**/model/validation',
                '**/model/response-input',
                '**/model/duration-schema',
                '**/model/identity',
                '**/model/signal',
              ],
              allowTypeImports: true,
              message: 'workflow code imports plain data and types only (these load zod or provider definitions)',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'api/**/*.ts',
      'providers/**/*.ts',
      'activities/**/*.ts',
      'workers/**/*.ts',
      'clients/**/*.ts',
      'codec/**/*.ts',
      'auth/**/*.ts',
      'config/**/*.ts',
      'ingest/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': ['error', { patterns: [LOCAL_HARNESS] }],
    },
  },
  {
    // Activities are what clients start, never clients themselves: what they need of a client is handed in.
    files: ['activities/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [LOCAL_HARNESS, { group: ['**/clients/**'], message: 'activities do not import clients/' }],
        },
      ],
    },
  },
  { files: ['eslint.config.mjs'], ...tseslint.configs.disableTypeChecked },
);
