// Fake time for the SDK's own timers (ring timeout, reliable-send retries, the
// stats interval) on the in-memory transport: node:test mock timers, advanced
// in small steps with the promise jobs and in-memory deliveries that each step
// releases run in between, as they would in real time. Tests then say "not at
// 1499 ms, at 1500 ms" without a wall clock.
import type { TestContext } from 'node:test';

/** Runs every queued promise job and in-memory delivery (mock timers leave setImmediate alone). */
export const settle = () => new Promise<void>((r) => setImmediate(r));

/** Mocks setTimeout, setInterval and Date for the rest of test `t` (restored when it ends). */
export function fakeClock(t: TestContext) {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: Date.now() });
  return {
    /** Moves time forward by `ms`, in steps of at most `step` ms, settling after each. */
    async advance(ms: number, step = 5) {
      await settle();
      for (let left = ms; left > 0; left -= step) {
        t.mock.timers.tick(Math.min(step, left));
        await settle();
      }
    },
  };
}
