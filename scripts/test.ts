/**
 * `npm test`: the suite (vitest.config.mts: files take turns on one Temporal dev server) and the fleet's tests
 * (vitest.fleet.config.mts: a Temporal cluster of their own) side by side, each in its own vitest process.
 * (As two projects of one vitest process they would run one after the other: vitest runs every file of a
 * one-file-at-a-time project in one group after all others.)
 *
 * Arguments go to vitest. With a file filter, one vitest process runs as asked: the fleet's when every filter
 * names test/fleet/, the suite's otherwise (give options their values with `=`, so a value is not taken for a
 * filter). A JSON report (`--outputFile.json=F`) is written per process and merged into F; the fleet's console
 * output is printed after the suite's, so neither report is interleaved with the other.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../config/paths';

const CONFIGS = { suite: 'vitest.config.mts', fleet: 'vitest.fleet.config.mts' } as const;
const PROJECTS = Object.keys(CONFIGS) as (keyof typeof CONFIGS)[];
const JSON_OUTPUT = '--outputFile.json=';

interface JsonReport {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numTotalTestSuites: number;
  numPassedTestSuites: number;
  numFailedTestSuites: number;
  success: boolean;
  testResults: unknown[];
}

function vitest(args: string[], output: 'inherit' | number): Promise<number> {
  const child = spawn(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'vitest'), ['run', ...args], {
    stdio: ['ignore', output, output],
  });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

/** What a project that wrote no report counts as: it failed before running, never "nothing ran". */
const NO_REPORT: JsonReport = {
  numTotalTests: 1,
  numPassedTests: 0,
  numFailedTests: 1,
  numPendingTests: 0,
  numTodoTests: 0,
  numTotalTestSuites: 1,
  numPassedTestSuites: 0,
  numFailedTestSuites: 1,
  success: false,
  testResults: [],
};

function merge(reports: JsonReport[]): JsonReport {
  const sum = (field: keyof JsonReport) => reports.reduce((total, report) => total + Number(report[field]), 0);
  return {
    ...reports[0]!,
    numTotalTests: sum('numTotalTests'),
    numPassedTests: sum('numPassedTests'),
    numFailedTests: sum('numFailedTests'),
    numPendingTests: sum('numPendingTests'),
    numTodoTests: sum('numTodoTests'),
    numTotalTestSuites: sum('numTotalTestSuites'),
    numPassedTestSuites: sum('numPassedTestSuites'),
    numFailedTestSuites: sum('numFailedTestSuites'),
    success: reports.every((report) => report.success),
    testResults: reports.flatMap((report) => report.testResults),
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  // A file filter: an argument that is not an option or an option's value.
  const filters = args.filter(
    (arg, index) =>
      !arg.startsWith('-') && (index === 0 || !args[index - 1]!.startsWith('-') || args[index - 1]!.includes('=')),
  );
  if (filters.length) {
    const config = filters.every((filter) => filter.includes('test/fleet')) ? CONFIGS.fleet : CONFIGS.suite;
    process.exit(await vitest(['--config', config, ...args], 'inherit'));
  }

  const jsonFile = args.find((arg) => arg.startsWith(JSON_OUTPUT))?.slice(JSON_OUTPUT.length);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idra-test-run-'));
  const report = (project: string) => path.join(dir, `${project}.json`);
  const argsFor = (project: keyof typeof CONFIGS) => [
    '--config',
    CONFIGS[project],
    ...args.map((arg) => (jsonFile && arg.startsWith(JSON_OUTPUT) ? `${JSON_OUTPUT}${report(project)}` : arg)),
  ];
  const fleetLog = path.join(dir, 'fleet.log');
  const fleetOutput = fs.openSync(fleetLog, 'w');
  const [suite, fleet] = await Promise.all([
    vitest(argsFor('suite'), 'inherit'),
    vitest(argsFor('fleet'), fleetOutput),
  ]);
  fs.closeSync(fleetOutput);
  process.stdout.write(`\n--- the fleet's tests (run beside the suite) ---\n${fs.readFileSync(fleetLog, 'utf8')}`);
  if (jsonFile) {
    const reports = PROJECTS.map((project) =>
      fs.existsSync(report(project)) ? (JSON.parse(fs.readFileSync(report(project), 'utf8')) as JsonReport) : NO_REPORT,
    );
    fs.writeFileSync(jsonFile, JSON.stringify(merge(reports)));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(Math.max(suite, fleet));
}

void main();
