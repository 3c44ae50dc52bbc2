// The capacity bench's arithmetic (bench/latency-stats.mjs): percentiles over
// the union of the load generators' raw samples, and which ramp step is the
// ceiling. A wrong percentile here would be a wrong capacity figure in the README.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// build/test/node/bench/ -> repository root (the bench is plain .mjs, not compiled)
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

type Summary = { n: number; p50: number; p90: number; p99: number; max: number };
type Step = { offeredPerSec: number; achievedPerSec: number; lost: number; ringingMs: Summary };
interface LatencyStats {
  percentile(sorted: ArrayLike<number>, p: number): number;
  summarize(parts: ArrayLike<number>[]): Summary;
  judgeStep(step: Step): { pass: boolean; why: string[] };
  ceilingOf(steps: Step[]): { offeredPerSec: number; achievedPerSec: number; ringingP99Ms: number; failedBelow: number[] } | null;
}
const stats = (): Promise<LatencyStats> => import(pathToFileURL(resolve(root, 'bench/latency-stats.mjs')).href);

const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
const step = (offeredPerSec: number, p99: number, lost = 0, achievedPerSec = offeredPerSec): Step => ({
  offeredPerSec,
  achievedPerSec,
  lost,
  ringingMs: { n: 1000, p50: 1, p90: 2, p99, max: p99 * 2 },
});

test('percentile is nearest-rank: p99 of 1..100 is 99, p50 is 50, p100 is the max', async () => {
  const { percentile } = await stats();
  const xs = range(100, (i) => i + 1);
  assert.equal(percentile(xs, 0.99), 99);
  assert.equal(percentile(xs, 0.5), 50);
  assert.equal(percentile(xs, 1), 100);
  assert.ok(Number.isNaN(percentile([], 0.5)), 'no samples: NaN, not 0');
  assert.throws(() => percentile(xs, 0), RangeError);
  assert.throws(() => percentile(xs, 99), RangeError, 'p is a fraction, not a percent');
});

test('summarize takes the p99 of all workers\' samples together, not an average of their p99s', async () => {
  const { summarize } = await stats();
  // Worker A is fast throughout; worker B has a 5 % tail at 100 ms: 2.5 % of all set-ups were slow.
  const a = new Float64Array(1000).fill(1);
  const b = Float64Array.from(range(1000, (i) => (i < 50 ? 100 : 1)));
  const s = summarize([a, b]);
  assert.equal(s.n, 2000);
  assert.equal(s.p99, 100, 'the union\'s p99 is in the slow tail (averaging per-worker p99s would say 50.5)');
  assert.equal(s.p50, 1);
  assert.equal(s.max, 100);
  assert.equal(b[0], 100, 'the workers\' arrays are not sorted in place');
});

test('summarize sorts numerically, plain arrays and typed arrays alike', async () => {
  const { summarize } = await stats();
  const s = summarize([[9, 10, 100], Float64Array.from([2, 1])]);
  assert.deepEqual({ p50: s.p50, max: s.max }, { p50: 9, max: 100 }, 'a string sort would put 10 and 100 before 2');
  const empty = summarize([]);
  assert.equal(empty.n, 0);
  assert.ok(Number.isNaN(empty.p99));
});

test('a step passes only with ringing p99 under 10 ms, nothing lost and the offered rate achieved', async () => {
  const { judgeStep } = await stats();
  assert.deepEqual(judgeStep(step(1000, 9.9)), { pass: true, why: [] });
  assert.equal(judgeStep(step(1000, 10)).pass, false, 'the limit itself is not under it');
  assert.match(judgeStep(step(1000, 3, 1)).why.join(), /1 lost/);
  assert.match(judgeStep(step(1000, 3, 0, 900)).why.join(), /achieved 900/);
  assert.equal(judgeStep(step(1000, NaN)).pass, false, 'no ringing at all is no pass');
});

test('the ceiling is the highest passing step, naming failed steps below it; none passing gives null', async () => {
  const { ceilingOf } = await stats();
  const c = ceilingOf([step(250, 2), step(500, 12), step(750, 4), step(1000, 30), step(1250, 80, 3)]);
  assert.equal(c?.offeredPerSec, 750);
  assert.equal(c?.ringingP99Ms, 4);
  assert.deepEqual(c?.failedBelow, [500]);
  assert.equal(ceilingOf([step(250, 20), step(500, 40)]), null);
  // A rate tried twice (a retry after a disturbed try) passed when either try did.
  const retried = ceilingOf([step(250, 2), step(500, 40), step(500, 5), step(750, 30)]);
  assert.equal(retried?.offeredPerSec, 500);
  assert.deepEqual(retried?.failedBelow, []);
  assert.equal(ceilingOf([]), null);
});
