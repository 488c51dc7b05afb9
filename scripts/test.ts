/**
 * `npm test`: vitest's two projects side by side, each in its own vitest process. The suite's files take turns
 * on one Temporal dev server; the fleet's run on a Temporal cluster of their own. Vitest runs a project whose
 * files take turns only after every other project (all such files form one group), so one vitest process
 * would run them one after the other.
 *
 * Arguments go to vitest. With a file filter or `--project`, one vitest process runs as asked (give options
 * their values with `=`, so a value is not taken for a filter). A JSON report
 * (`--outputFile.json=F`) is written per project and merged into F; the fleet's console output is printed
 * after the suite's, so neither report is interleaved with the other.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../config/paths';

const PROJECTS = ['suite', 'fleet'] as const;
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
  // A file filter (an argument that is not an option or an option's value) or a project: run just that.
  const chosen = args.some(
    (arg, index) =>
      arg.startsWith('--project') ||
      (!arg.startsWith('-') && (index === 0 || !args[index - 1]!.startsWith('-') || args[index - 1]!.includes('='))),
  );
  if (chosen) process.exit(await vitest(args, 'inherit'));

  const jsonFile = args.find((arg) => arg.startsWith(JSON_OUTPUT))?.slice(JSON_OUTPUT.length);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idra-test-run-'));
  const report = (project: string) => path.join(dir, `${project}.json`);
  const argsFor = (project: string) => [
    '--project',
    project,
    ...args.map((arg) => (jsonFile && arg.startsWith(JSON_OUTPUT) ? `${JSON_OUTPUT}${report(project)}` : arg)),
  ];
  const fleetLog = path.join(dir, 'fleet.log');
  const fleetOutput = fs.openSync(fleetLog, 'w');
  const [suite, fleet] = await Promise.all([
    vitest(argsFor('suite'), 'inherit'),
    vitest(argsFor('fleet'), fleetOutput),
  ]);
  fs.closeSync(fleetOutput);
  process.stdout.write(`\n--- the fleet project (run beside the suite) ---\n${fs.readFileSync(fleetLog, 'utf8')}`);
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
