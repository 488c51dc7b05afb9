import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stormTimes } from '../bench/storm';
import { cumulativeCount, cumulativeShare, lineChart } from '../bench/svg-chart';

const recorded = (file: string) =>
  historyFromJSON(JSON.parse(fs.readFileSync(path.join(__dirname, 'histories', file), 'utf8')));

describe('the storm bench reads its figures from histories', () => {
  it("takes the guard's verdict and the first applied change from a recorded response", () => {
    const times = stormTimes(recorded('approved.json'));
    // approved.json: admitContainment completed at event 21, the first aws.steps.apply at event 28.
    expect(new Date(times.verdictAt).toISOString()).toBe('2026-12-01T21:59:30.603Z');
    expect(new Date(times.containedAt).toISOString()).toBe('2026-12-01T21:59:30.668Z');
    expect(times.admissionRetries).toBe(0);
    expect(times.workflowTaskTimeouts).toBe(0);
  });

  it('counts an admission attempted three times as two retries', () => {
    const json = JSON.parse(fs.readFileSync(path.join(__dirname, 'histories', 'approved.json'), 'utf8')) as {
      events: { eventId: string; activityTaskStartedEventAttributes?: { attempt: number } }[];
    };
    json.events.find((event) => event.eventId === '20')!.activityTaskStartedEventAttributes!.attempt = 3;
    expect(stormTimes(historyFromJSON(json)).admissionRetries).toBe(2);
  });
});

describe('the bench charts', () => {
  it('draws one line per series on axes rounded up past the largest value, names escaped', () => {
    const svg = lineChart({
      title: 'latency',
      xLabel: 'ms',
      yLabel: 'share',
      series: [
        { name: 'idra <1 at a time>', points: cumulativeShare([300, 100, 200]) },
        { name: 'Custodian & co', points: cumulativeShare([340, 350]) },
      ],
    });
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('idra &lt;1 at a time&gt;');
    expect(svg).toContain('Custodian &amp; co');
    // 350 ms at most: the x axis ends at the next round tick, 400.
    expect(svg).toContain('>400</text>');
    expect(svg).not.toContain('>500</text>');
  });

  it('turns samples into cumulative points', () => {
    expect(cumulativeCount([3, 1, 2])).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(cumulativeShare([20, 10]).at(-1)).toEqual([20, 1]);
  });
});
