// Listening to the SDK's emitters (VideoClient, Conversation: on/off) in every
// kind of test. Environment-neutral.
import { within, type What } from './wait.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (...args: any[]) => void;
/** Anything with on/off, as the SDK's emitters. */
export interface Emitting {
  on(event: string, fn: Listener): unknown;
  off(event: string, fn: Listener): unknown;
}

/** Resolves with the first argument of the next `event`; rejects after `ms`. */
export function next<T = unknown>(em: Emitting, event: string, ms = 15_000, what: What = `"${event}"`): Promise<T> {
  let f: Listener = () => {};
  const got = new Promise<T>((ok) => {
    f = (...a: unknown[]) => ok(a[0] as T);
    em.on(event, f);
  });
  return within(got, ms, what).finally(() => em.off(event, f));
}

/** One emission: which event, its arguments. */
export interface Recorded {
  event: string;
  args: unknown[];
}

/** Every emission of `events` on `em`, in order. */
export function record(em: Emitting, events: string[]): Recorded[] {
  const log: Recorded[] = [];
  for (const event of events) em.on(event, (...args: unknown[]) => log.push({ event, args }));
  return log;
}

/** The first arguments of every `event` in `log`, in order. */
export const argsOf = (log: Recorded[], event: string) => log.filter((r) => r.event === event).map((r) => r.args[0]);
