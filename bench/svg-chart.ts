/** A line chart as a standalone SVG document: the bench's figures drawn without any charting dependency. */
export interface ChartSeries {
  name: string;
  /** [x, y] in the data's own units, in drawing order. */
  points: [number, number][];
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
}

const WIDTH = 720;
const HEIGHT = 420;
const MARGIN = { left: 70, right: 20, top: 40, bottom: 90 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];
const TICKS = 5;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A round step (1, 2 or 5 × 10^k) that divides 0..max into about TICKS parts. */
function tickStep(max: number): number {
  const rough = max / TICKS;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((factor) => factor * magnitude).find((step) => step >= rough)!;
}

const label = (value: number) => (Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(1));

export function lineChart(chart: LineChart): string {
  const all = chart.series.flatMap((series) => series.points);
  const xStep = tickStep(Math.max(...all.map(([x]) => x), 1e-9));
  const yStep = tickStep(Math.max(...all.map(([, y]) => y), 1e-9));
  const xMax = Math.ceil(Math.max(...all.map(([x]) => x)) / xStep) * xStep || xStep;
  const yMax = Math.ceil(Math.max(...all.map(([, y]) => y)) / yStep) * yStep || yStep;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (x: number) => MARGIN.left + (x / xMax) * plotWidth;
  const py = (y: number) => MARGIN.top + plotHeight - (y / yMax) * plotHeight;

  const grid: string[] = [];
  for (let x = 0; x <= xMax + xStep / 2; x += xStep)
    grid.push(
      `<line x1="${px(x)}" y1="${MARGIN.top}" x2="${px(x)}" y2="${MARGIN.top + plotHeight}" stroke="#ddd"/>`,
      `<text x="${px(x)}" y="${MARGIN.top + plotHeight + 18}" text-anchor="middle">${label(x)}</text>`,
    );
  for (let y = 0; y <= yMax + yStep / 2; y += yStep)
    grid.push(
      `<line x1="${MARGIN.left}" y1="${py(y)}" x2="${MARGIN.left + plotWidth}" y2="${py(y)}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 8}" y="${py(y) + 4}" text-anchor="end">${label(y)}</text>`,
    );
  const lines = chart.series.map((series, index) => {
    const path = series.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    const colour = COLOURS[index % COLOURS.length];
    const legendY = MARGIN.top + plotHeight + 58 + 16 * Math.floor(index / 2);
    const legendX = MARGIN.left + (index % 2) * (plotWidth / 2);
    return [
      `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${path}"/>`,
      `<line x1="${legendX}" y1="${legendY - 4}" x2="${legendX + 24}" y2="${legendY - 4}" stroke="${colour}" stroke-width="3"/>`,
      `<text x="${legendX + 30}" y="${legendY}">${escape(series.name)}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">${escape(chart.title)}</text>`,
    ...grid,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${MARGIN.top + plotHeight + 38}" text-anchor="middle">${escape(chart.xLabel)}</text>`,
    `<text transform="translate(18 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escape(chart.yLabel)}</text>`,
    ...lines,
    '</svg>',
    '',
  ].join('\n');
}

/** The share of a sample at or below each of its values: a cumulative distribution, as chart points. */
export function cumulativeShare(values: number[]): [number, number][] {
  return cumulativeCount(values).map(([value, count]) => [value, count / values.length]);
}

/** How many of the events have happened by each of their times: a cumulative count, as chart points. */
export function cumulativeCount(times: number[]): [number, number][] {
  const sorted = [...times].sort((a, b) => a - b);
  return [[0, 0], ...sorted.map((time, index): [number, number] => [time, index + 1])];
}
