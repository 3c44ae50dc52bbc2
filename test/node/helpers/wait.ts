// Polling and status helpers, so tests wait for an outcome instead of sleeping.
import type { NatsConnection, Status } from 'nats.ws';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `check` returns a truthy value; rejects after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs: number, what: string): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/** Records a connection's status events (permission errors arrive only here). */
export function recordStatus(nc: NatsConnection): Status[] {
  const seen: Status[] = [];
  void (async () => {
    for await (const s of nc.status()) seen.push(s);
  })();
  return seen;
}
