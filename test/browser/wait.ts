// waitUntil with a deadline a loaded CI machine meets.
// @open-wc/testing's waitUntil gives up after 1 s unless told otherwise, and
// most element tests wait without saying: for a state that crosses the real
// stack (the other side ringing, both idle after a hang-up) or a browser's
// media pipeline. On a busy machine, in Firefox above all, 1 s is a timing
// assertion the tests never meant to make. The condition is unchanged; only
// the time allowed for it is.
import { waitUntil as openWcWaitUntil } from '@open-wc/testing';

export const DEFAULT_WAIT_MS = 10_000;

export function waitUntil(predicate: () => unknown | Promise<unknown>, message?: string, options: { interval?: number; timeout?: number } = {}): Promise<void> {
  return openWcWaitUntil(predicate, message, { timeout: DEFAULT_WAIT_MS, ...options });
}
