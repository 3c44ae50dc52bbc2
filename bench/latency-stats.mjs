// Exact latency percentiles over raw samples from several load-generator
// processes, and the capacity verdict of a rate ramp. Pure: no I/O, so
// test/node/bench/latency-stats.test.ts checks it directly.
//
// Workers send their raw samples, never their own percentiles: the p99 of the
// union is not any average of per-worker p99s (one slow worker owns the tail).

/**
 * Nearest-rank percentile of an ascending-sorted array: the smallest sample
 * with at least p of all samples at or below it. NaN when empty.
 */
export function percentile(sorted, p) {
  if (!(p > 0 && p <= 1)) throw new RangeError(`percentile wants 0 < p <= 1, got ${p}`);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

/** n, p50, p90, p99 and max over the union of several sample arrays (plain or typed). */
export function summarize(parts) {
  const n = parts.reduce((a, x) => a + x.length, 0);
  const all = new Float64Array(n);
  let at = 0;
  for (const x of parts) {
    all.set(x, at);
    at += x.length;
  }
  all.sort(); // a Float64Array sorts numerically
  return { n, p50: percentile(all, 0.5), p90: percentile(all, 0.9), p99: percentile(all, 0.99), max: n ? all[n - 1] : NaN };
}

/** What one ramp step must show to count as sustained. */
export const DEFAULT_CRITERIA = Object.freeze({
  /** invite -> ringing p99, ms (the target). */
  ringingP99Ms: 10,
  /** Set-ups with any step past its deadline. */
  maxLost: 0,
  /** Completed set-ups per second over the offered rate: below this the load was not really offered (or not served). */
  minAchievedRatio: 0.95,
});

/** Whether a step meets the criteria; `why` names each one it misses. */
export function judgeStep(step, criteria = DEFAULT_CRITERIA) {
  const why = [];
  if (!(step.ringingMs.p99 < criteria.ringingP99Ms)) why.push(`ringing p99 ${fmt(step.ringingMs.p99)} ms >= ${criteria.ringingP99Ms} ms`);
  if (step.lost > criteria.maxLost) why.push(`${step.lost} lost`);
  if (!(step.achievedPerSec >= criteria.minAchievedRatio * step.offeredPerSec)) why.push(`achieved ${fmt(step.achievedPerSec)}/s < ${criteria.minAchievedRatio} x offered`);
  return { pass: why.length === 0, why };
}

/**
 * The ceiling of a ramp: the highest offered rate among the steps that pass,
 * or null when none does. A rate may have been tried more than once (a retry
 * after a disturbed step): it passes when any try did. A passing rate above a
 * failing one still counts (noise on a shared machine can fail one step); the
 * result names the rates below it that never passed.
 */
export function ceilingOf(steps, criteria = DEFAULT_CRITERIA) {
  const judged = steps.map((s) => ({ s, ...judgeStep(s, criteria) }));
  const passing = judged.filter((j) => j.pass);
  if (!passing.length) return null;
  const best = passing.reduce((a, b) => (b.s.offeredPerSec > a.s.offeredPerSec ? b : a));
  const passedRates = new Set(passing.map((j) => j.s.offeredPerSec));
  const failedBelow = [...new Set(judged.filter((j) => !passedRates.has(j.s.offeredPerSec) && j.s.offeredPerSec < best.s.offeredPerSec).map((j) => j.s.offeredPerSec))];
  return { offeredPerSec: best.s.offeredPerSec, achievedPerSec: best.s.achievedPerSec, ringingP99Ms: best.s.ringingMs.p99, failedBelow };
}

const fmt = (x) => (Number.isFinite(x) ? x.toFixed(1) : String(x));
