import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config/paths';
import { type LineChart, lineChart } from './svg-chart';

/** Where the bench leaves its charts (and Custodian's virtualenv): ignored by git, kept between runs. */
export const BENCH_DIR = path.join(PROJECT_ROOT, '.data', 'bench');

/** Writes a chart as `<name>.svg` in BENCH_DIR and returns its path, for the report. */
export function writeChart(name: string, chart: LineChart): string {
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const file = path.join(BENCH_DIR, `${name}.svg`);
  fs.writeFileSync(file, lineChart(chart));
  return path.relative(PROJECT_ROOT, file);
}
