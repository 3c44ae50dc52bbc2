// What the JetStream users of the service (call history, push subscriptions)
// share: creating a stream idempotently, direct gets, and "not found".
import type { JetStreamManager, StoredMsg, StreamConfig } from 'nats.ws';

/** Direct get (any replica answers, no consumer): nats.ws 1.30 has it on the manager without typing it there. */
type DirectGet = { getMessage(stream: string, q: { seq: number; next_by_subj: string } | { last_by_subj: string }): Promise<StoredMsg> };
export const directGet = (jsm: JetStreamManager) => (jsm as unknown as { direct: DirectGet }).direct;

export function isNotFound(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err.code === '404' || /no message found|not found/i.test(err.message ?? '');
}

/** Create the stream, or bring an existing one to this config (every token service does it; the same config is a no-op). */
export async function ensureStream(jsm: JetStreamManager, cfg: Partial<StreamConfig> & { name: string }): Promise<void> {
  try {
    await jsm.streams.info(cfg.name);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    try {
      await jsm.streams.add(cfg);
      return;
    } catch (err) {
      // Another token service made it between our info and add: bring it to this config below.
      if (!/already in use/i.test((err as Error)?.message ?? '')) throw err;
    }
  }
  await jsm.streams.update(cfg.name, cfg);
}
