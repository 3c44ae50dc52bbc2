// Waiting for an outcome instead of sleeping, for every kind of test (node:test,
// web-test-runner in Chromium, playwright end-to-end). Environment-neutral:
// only timers, Date and promises, which Node and browsers both have.

/** A failure message, or a function that builds it when the wait fails (so it shows the state at that moment). */
export type What = string | (() => string);
const describe = (what: What) => (typeof what === 'function' ? what() : what);

/**
 * Resolves after `ms`. Not for synchronisation: only for a scenario's own
 * timing (two calls placed some ms apart) or a quiet window that asserts
 * nothing happens where there is no event to wait for (say why at the call).
 */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resolves with the first truthy value of `check`, polled; rejects after `ms`, naming `what`. */
export async function until<T>(check: () => T | Promise<T>, ms = 15_000, what: What = 'a condition'): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${describe(what)}`);
    await sleep(20);
  }
}

/** `p`, or a rejection naming `what` if it has not settled within `ms`. */
export function within<T>(p: Promise<T>, ms: number, what: What): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`${describe(what)}: not within ${ms} ms`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
