// The call history in JetStream. One stream, WD_HISTORY, one subject per
// user (`wd.hist.<owner>`): JetStream itself applies the retention (max_age)
// and the cap per user (max_msgs_per_subject drops the oldest). Seen marks
// live in WD_SEEN, the last message per user (`wd.seen.<owner>`).
import { nanos, type JetStreamClient, type JetStreamManager, type NatsConnection, type StreamConfig } from 'nats.ws';
import type { CallRecord } from 'wd-video/contract';
import { directGet as direct, ensureStream as ensure, isNotFound } from '../jetstream.js';
import { HISTORY_STREAM, SEEN_STREAM } from './service-user.js';

export interface StoreOptions {
  retentionMs: number;
  maxPerUser: number;
  /** 1 for one node, 3 in a cluster of three or more. */
  replicas: number;
}

type Stored = Omit<CallRecord, 'seen'>;
interface Seen {
  upTo: number;
  ids: string[];
}

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const dec = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)) as unknown;

export class HistoryStore {
  private constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly o: StoreOptions,
  ) {}

  /** Creates or updates the streams (every token service does it; the same config is a no-op). */
  static async open(nc: NatsConnection, o: StoreOptions): Promise<HistoryStore> {
    const jsm = await nc.jetstreamManager({ timeout: 5000 });
    // Duplicates (two devices of a callee reporting the same missed call) are caught within this window.
    const dup = Math.min(120_000, o.retentionMs);
    const common: Partial<StreamConfig> = { max_age: nanos(o.retentionMs), num_replicas: o.replicas, allow_direct: true, duplicate_window: nanos(dup) };
    await ensure(jsm, { name: HISTORY_STREAM, subjects: ['wd.hist.*'], max_msgs_per_subject: o.maxPerUser, ...common });
    await ensure(jsm, { name: SEEN_STREAM, subjects: ['wd.seen.*'], max_msgs_per_subject: 1, ...common });
    return new HistoryStore(nc.jetstream({ timeout: 5000 }), jsm, o);
  }

  /** Append a record; false when JetStream already had it (the same call reported twice). */
  async append(owner: string, record: Stored): Promise<boolean> {
    const ack = await this.js.publish(`wd.hist.${owner}`, enc(record), { msgID: `${owner}.${record.callId}.${record.direction}` });
    return !ack.duplicate;
  }

  /** The owner's records, newest first, one per call, with their seen flag. */
  async read(owner: string, now = Date.now()): Promise<CallRecord[]> {
    const seen = await this.seen(owner);
    const out = new Map<string, CallRecord>();
    for (let seq = 1; ; ) {
      let m;
      try {
        m = await direct(this.jsm).getMessage(HISTORY_STREAM, { seq, next_by_subj: `wd.hist.${owner}` });
      } catch (e) {
        if (isNotFound(e)) break;
        throw e;
      }
      seq = m.seq + 1;
      const r = dec(m.data) as Stored;
      // JetStream drops a message max_age after it was stored; a record also goes once its call is that old.
      if (now - r.at > this.o.retentionMs) continue;
      out.set(`${r.callId}.${r.direction}`, { ...r, seen: r.at <= seen.upTo || seen.ids.includes(r.callId) });
    }
    return [...out.values()].sort((a, b) => b.at - a.at);
  }

  /** Mark the given calls seen, or everything until `now`. */
  async markSeen(owner: string, callIds: string[] | undefined, now = Date.now()): Promise<void> {
    const prev = await this.seen(owner);
    const next: Seen = callIds ? { upTo: prev.upTo, ids: [...new Set([...prev.ids, ...callIds])].slice(-this.o.maxPerUser) } : { upTo: now, ids: [] };
    await this.js.publish(`wd.seen.${owner}`, enc(next));
  }

  private async seen(owner: string): Promise<Seen> {
    try {
      const m = await direct(this.jsm).getMessage(SEEN_STREAM, { last_by_subj: `wd.seen.${owner}` });
      const s = dec(m.data) as Seen;
      return { upTo: typeof s.upTo === 'number' ? s.upTo : 0, ids: Array.isArray(s.ids) ? s.ids : [] };
    } catch (e) {
      if (isNotFound(e)) return { upTo: 0, ids: [] };
      throw e;
    }
  }
}
