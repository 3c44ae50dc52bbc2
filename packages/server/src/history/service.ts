// The history service, inside the token service process: one NATS
// connection as the service user, which
// - takes the clients' call reports (wd.ev.<uid>), validates them (a bad one
//   is counted and dropped), writes the records into JetStream (store.ts)
//   and gives each call event to the sinks (webhooks);
// - sends each record to its owner as it is stored (wd.n.<owner>.call_record),
//   and a missed one also to wd.n.<callee>.missed_call;
// - answers history and seen requests (wd.svc.<uid>.history|seen) for that uid only.
// Several token services share the work: every subscription is in one queue group.
import './ws-global.js';
import { connect, credsAuthenticator, type Msg, type NatsConnection } from 'nats.ws';
import { isId, isUid, noticeSubject, type CallRecord } from 'wd-video/contract';
import type { CallEvent, CallEventSink } from '../call-events.js';
import { RateLimiter } from '../rate-limit.js';
import { callEventOf, parseReport, recordsOf } from './reports.js';
import { SERVICE_INBOX } from './service-user.js';
import { HistoryStore, type StoreOptions } from './store.js';

export interface HistoryServiceOptions extends StoreOptions {
  servers: string[];
  /** The service user's creds file content (service-user.ts). */
  creds: string;
  sinks?: CallEventSink[];
  log?: (line: string) => void;
}

/** What a sender may report: a burst of 30, then 30 a minute (a call makes three reports). */
const REPORTS_PER_MINUTE = 30;
/** Missed calls one caller may leave one callee: 5 per 10 minutes; more still go into the caller's own history. */
const MISSED_PER_PAIR = 5;
const MISSED_WINDOW_MS = 600_000;
/** Records a history reply holds at most, and its default. */
export const HISTORY_MAX_LIMIT = 200;
const HISTORY_DEFAULT_LIMIT = 50;
/** A reply stays under nats-server's default max_payload (64 KB). */
const REPLY_BYTES = 60_000;
const QUEUE = 'wd-history';
/** How long close() waits for the start to finish and for the drain. */
const CLOSE_WAIT_MS = 2000;

export interface HistoryCounters {
  reports: number;
  dropped: number;
  byReason: Record<string, number>;
  written: number;
  notices: number;
  requests: number;
}

export interface HistoryService {
  readonly counters: HistoryCounters;
  /** Resolves once the streams exist and the subscriptions are live. */
  readonly ready: Promise<void>;
  /** The service user's connection once made (the push subscription store shares it); rejects if closed first. */
  readonly connection: Promise<NatsConnection>;
  close(): Promise<void>;
}

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

export function startHistoryService(o: HistoryServiceOptions): HistoryService {
  const log = o.log ?? (() => {});
  const counters: HistoryCounters = { reports: 0, dropped: 0, byReason: {}, written: 0, notices: 0, requests: 0 };
  const drop = (reason: string) => {
    counters.dropped++;
    counters.byReason[reason] = (counters.byReason[reason] ?? 0) + 1;
  };
  const perSender = new RateLimiter(REPORTS_PER_MINUTE, 60_000);
  const perPair = new RateLimiter(MISSED_PER_PAIR, MISSED_WINDOW_MS);
  // The caller's reports of one call, by kind: a repeated report makes no second event.
  const emitted = new Set<string>();
  let nc: NatsConnection | undefined;
  let closed = false;
  let connected!: (c: NatsConnection) => void;
  let notConnected!: (e: unknown) => void;
  const connection = new Promise<NatsConnection>((ok, fail) => ((connected = ok), (notConnected = fail)));
  connection.catch(() => {}); // nobody may ask for it

  const emit = (e: CallEvent) => {
    const key = `${e.callId}.${e.caller}.${e.kind}`;
    if (emitted.has(key)) return;
    emitted.add(key);
    if (emitted.size > 4096) emitted.delete(emitted.values().next().value!);
    for (const sink of o.sinks ?? []) {
      try {
        sink(e);
      } catch (err) {
        log(`history: a call event sink threw: ${(err as Error)?.message ?? err}`);
      }
    }
  };

  async function onReport(store: HistoryStore, m: Msg) {
    counters.reports++;
    const sender = m.subject.slice('wd.ev.'.length);
    if (!isUid(sender)) return drop('bad_subject');
    if (perSender.take(sender)) return drop('rate_limited');
    const parsed = parseReport(sender, m.data);
    if (!parsed.ok) return drop(parsed.reason);
    const now = Date.now();
    for (const w of recordsOf(sender, parsed.report, now)) {
      // A caller's missed calls for someone else are capped per pair; its own record is not.
      if (w.owner !== sender && perPair.take(`${sender}>${w.owner}`)) {
        drop('missed_capped');
        continue;
      }
      if (!(await store.append(w.owner, w.record))) continue;
      counters.written++;
      // Every record goes to the owner's devices as it is stored (a history on screen stays current);
      // a missed one also as `missed_call`, the "you missed a call" moment.
      const notice = enc({ v: 1, record: { ...w.record, seen: false } satisfies CallRecord });
      counters.notices++;
      nc?.publish(noticeSubject(w.owner, 'call_record'), notice);
      if (w.missed) {
        counters.notices++;
        nc?.publish(noticeSubject(w.owner, 'missed_call'), notice);
      }
    }
    const event = callEventOf(sender, parsed.report, now);
    if (event) emit(event);
  }

  async function onRequest(store: HistoryStore, m: Msg) {
    counters.requests++;
    const [, , uid, op] = m.subject.split('.');
    if (!m.reply || !isUid(uid)) return drop('bad_request');
    let body: { missedOnly?: unknown; limit?: unknown; callIds?: unknown } = {};
    try {
      if (m.data.length > 16_384) throw new Error('too large');
      if (m.data.length) body = JSON.parse(new TextDecoder().decode(m.data)) ?? {};
      if (typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
    } catch {
      m.respond(enc({ v: 1, error: 'bad_request' }));
      return;
    }
    if (op === 'history') {
      const limit = body.limit === undefined ? HISTORY_DEFAULT_LIMIT : body.limit;
      if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > HISTORY_MAX_LIMIT) return void m.respond(enc({ v: 1, error: 'bad_limit' }));
      let records = await store.read(uid);
      if (body.missedOnly === true) records = records.filter((r) => r.outcome === 'missed');
      m.respond(fit(records.slice(0, limit as number)));
      return;
    }
    if (op === 'seen') {
      const ids = body.callIds;
      if (ids !== undefined && !(Array.isArray(ids) && ids.length <= HISTORY_MAX_LIMIT && ids.every(isId))) {
        return void m.respond(enc({ v: 1, error: 'bad_call_ids' }));
      }
      await store.markSeen(uid, ids as string[] | undefined);
      m.respond(enc({ v: 1, ok: true }));
      return;
    }
    m.respond(enc({ v: 1, error: 'unknown_op' }));
  }

  const ready = (async () => {
    // Until the first connection, retried here so close() can stop it (nats.ws's
    // waitOnFirstConnect would retry forever, out of our reach); after it, nats.ws reconnects.
    for (;;) {
      try {
        nc = await connect({
          servers: o.servers,
          // The creds parser wants the closing line's newline, which a trimmed file lacks.
          authenticator: credsAuthenticator(new TextEncoder().encode(`${o.creds.trimEnd()}\n`)),
          inboxPrefix: SERVICE_INBOX,
          name: 'wd-video/history-service',
          maxReconnectAttempts: -1,
          reconnectTimeWait: 500,
          timeout: 5000,
        });
        break;
      } catch (e) {
        if (closed) throw e;
        log(`history: cannot reach NATS yet: ${(e as Error)?.message ?? e}`);
        await new Promise((r) => setTimeout(r, 1000));
        if (closed) throw new Error('closed');
      }
    }
    if (closed) return void (await nc.close());
    connected(nc);
    // JetStream in a fresh cluster elects its leaders a moment after the routes are up: retry.
    let store: HistoryStore | undefined;
    for (let i = 0; ; i++) {
      try {
        store = await HistoryStore.open(nc, o);
        break;
      } catch (e) {
        if (closed || i >= 60) throw e;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    const s = store;
    const handle = (fn: (store: HistoryStore, m: Msg) => Promise<void>, what: string) => (err: Error | null, m: Msg) => {
      if (err) return log(`history: ${what} subscription: ${err.message}`);
      fn(s, m).catch((e) => {
        drop('store_error');
        log(`history: ${what}: ${(e as Error)?.message ?? e}`);
        if (what === 'requests' && m.reply) m.respond(enc({ v: 1, error: 'unavailable' }));
      });
    };
    nc.subscribe('wd.ev.*', { queue: QUEUE, callback: handle(onReport, 'reports') });
    nc.subscribe('wd.svc.*.*', { queue: QUEUE, callback: handle(onRequest, 'requests') });
    await nc.flush();
    log('history: service ready');
  })();
  ready.catch((e) => {
    notConnected(e);
    log(`history: not started: ${(e as Error)?.message ?? e}`);
  });

  return {
    counters,
    ready,
    connection,
    async close() {
      closed = true;
      notConnected(new Error('the history service is closed'));
      // Bounded: the node we are on may be frozen (SIGSTOP) or gone, and a drain then never ends.
      const bounded = (p: Promise<unknown>) => Promise.race([p.catch(() => {}), new Promise((r) => setTimeout(r, CLOSE_WAIT_MS))]);
      await bounded(ready);
      const c = nc;
      if (c && !c.isClosed()) {
        await bounded(c.drain());
        if (!c.isClosed()) await c.close().catch(() => {});
      }
    },
  };
}

/** A history reply, newest first, cut to fit one NATS message. */
function fit(records: CallRecord[]): Uint8Array {
  let n = records.length;
  let out = enc({ v: 1, records });
  while (out.length > REPLY_BYTES && n > 0) {
    n = Math.floor(n * 0.8);
    out = enc({ v: 1, records: records.slice(0, n), more: true });
  }
  return out;
}
