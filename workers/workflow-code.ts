import { bundleWorkflowCode, type WorkerOptions } from '@temporalio/worker';
import fs from 'node:fs';
import path from 'node:path';
import { FAILURE_CONVERTER_PATH } from '../codec/data-converter';
import { WORKFLOWS_DIR } from '../config/paths';

/** Where the build (scripts/build.ts) puts the prebuilt workflow bundle: beside the compiled code. */
export const PREBUILT_BUNDLE = path.join(__dirname, '..', 'workflow-bundle.js');

type BundlerLogger = Parameters<typeof bundleWorkflowCode>[0]['logger'];

/** idra's workflow code as the sandbox runs it (webpack): what every workflow worker, the build and the tests load. */
export async function bundleIdraWorkflows(logger?: BundlerLogger): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_DIR,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger,
  });
  return code;
}

/**
 * The workflow code for a worker: a bundle named in configuration; else, run from the build, the bundle made
 * with it (only a build of the current sources is run: bin/build-state.js); else bundled here, once.
 */
export async function workflowCode(configured: string | undefined): Promise<Pick<WorkerOptions, 'workflowBundle'>> {
  if (configured) return { workflowBundle: { codePath: configured } };
  if (fs.existsSync(PREBUILT_BUNDLE)) return { workflowBundle: { codePath: PREBUILT_BUNDLE } };
  return { workflowBundle: { code: await bundleIdraWorkflows() } };
}
