// What one step of the network check found, and the timing helpers its probes share.

export interface ProbeResult {
  ok: boolean;
  /** The round trip in ms, when the step worked. */
  ms?: number;
  /** Why it failed, as a code a UI can turn into advice (see each probe). */
  reason?: string;
  /** The failure as a sentence, for logs. */
  message?: string;
}

/** `p`, or a rejection named `timeout` after `ms`. */
export function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(Object.assign(new Error(`${what}: no answer within ${ms} ms`), { name: 'TimeoutError' })), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** The middle value of `xs` (rounded to 0.1 ms): one slow sample does not decide. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  return Math.round(m * 10) / 10;
}

/** Runs `step` `n` times, one after the other, and returns the median of their durations. */
export async function medianOf(n: number, step: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
  }
  return median(times);
}
