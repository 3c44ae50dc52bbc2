// Delivers call events to the operator's backend: one signed POST per event,
// retried with back-off while the receiver is down or overloaded, in a bounded
// queue so a dead receiver cannot grow the token service's memory.
import type { CallEventSink } from '../call-events.js';
import { webhookMessage, type WebhookMessage } from './payload.js';
import { signatureHeaders } from './signature.js';

export interface WebhookSenderOptions {
  url: string;
  /** HMAC key (webhookKey of a whsec_ secret). */
  key: Buffer;
  /** Waits before attempt 2, 3, …; attempts = length + 1. Default about 40 min in all. */
  retryDelaysMs?: number[];
  /** A receiver should answer at once and work later (the spec says so); slower counts as failed. */
  attemptTimeoutMs?: number;
  /** Events queued or waiting for a retry; past it the oldest waiting one is dropped. */
  maxPending?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  log?: (line: string) => void;
}

export interface WebhookStats {
  delivered: number;
  /** Gave up: a 4xx that a retry cannot fix, a redirect, or out of attempts. */
  failed: number;
  /** Attempts after the first. */
  retried: number;
  /** Dropped unsent because the queue was full. */
  dropped: number;
  pending: number;
}

export interface WebhookSender {
  sink: CallEventSink;
  stats(): WebhookStats;
  /** Stops retries and waits for the requests in flight. */
  close(): Promise<void>;
}

export const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 600_000, 1_800_000];
/** Longest Retry-After honoured: a receiver cannot park an event for a day. */
const MAX_RETRY_AFTER_MS = 3_600_000;

interface Job {
  msg: WebhookMessage;
  attempt: number;
  timer?: NodeJS.Timeout;
}

/** Status codes a later attempt can fix. */
const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

export function createWebhookSender(o: WebhookSenderOptions): WebhookSender {
  const delays = o.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const timeout = o.attemptTimeoutMs ?? 10_000;
  const maxPending = o.maxPending ?? 1000;
  const concurrency = o.concurrency ?? 4;
  const log = o.log ?? (() => {});
  const stats = { delivered: 0, failed: 0, retried: 0, dropped: 0 };
  const ready: Job[] = [];
  const waiting = new Set<Job>();
  const inFlight = new Set<Promise<void>>();
  let closed = false;

  const pending = () => ready.length + waiting.size + inFlight.size;

  function dropOldest() {
    const job = ready.shift() ?? waiting.values().next().value;
    if (!job) return false;
    clearTimeout(job.timer);
    waiting.delete(job);
    stats.dropped++;
    log(`webhook ${job.msg.id} dropped: ${maxPending} events already pending`);
    return true;
  }

  function pump() {
    while (!closed && inFlight.size < concurrency && ready.length) {
      const job = ready.shift()!;
      const p = attempt(job).finally(() => {
        inFlight.delete(p);
        pump();
      });
      inFlight.add(p);
    }
  }

  function retryLater(job: Job, why: string, retryAfterMs = 0) {
    const delay = delays[job.attempt - 1];
    if (delay === undefined) {
      stats.failed++;
      log(`webhook ${job.msg.id} failed after ${job.attempt} attempts: ${why}`);
      return;
    }
    log(`webhook ${job.msg.id} attempt ${job.attempt}: ${why}; next try in ${Math.max(delay, retryAfterMs)} ms`);
    waiting.add(job);
    job.timer = setTimeout(() => {
      waiting.delete(job);
      stats.retried++;
      ready.push(job);
      pump();
    }, Math.max(delay, retryAfterMs));
    job.timer.unref();
  }

  async function attempt(job: Job) {
    job.attempt++;
    // Signed at each attempt: receivers refuse timestamps older than 5 minutes.
    const headers = signatureHeaders(o.key, job.msg.id, Math.floor(Date.now() / 1000), job.msg.body);
    let res: Response;
    try {
      res = await fetch(o.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'wd-video-webhooks/1', ...headers },
        body: job.msg.body,
        // A redirect would resend the signed event somewhere the operator did not configure.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeout),
      });
    } catch (e) {
      retryLater(job, `no answer (${(e as Error).cause ?? (e as Error).message})`);
      return;
    }
    await res.body?.cancel().catch(() => {});
    if (res.status >= 200 && res.status < 300) {
      stats.delivered++;
      return;
    }
    if (retryable(res.status)) {
      const after = Number(res.headers.get('retry-after'));
      retryLater(job, `HTTP ${res.status}`, Number.isFinite(after) && after > 0 ? Math.min(after * 1000, MAX_RETRY_AFTER_MS) : 0);
      return;
    }
    stats.failed++;
    log(`webhook ${job.msg.id} refused with HTTP ${res.status}${res.status < 400 ? ' (redirects are not followed)' : ''}; not retried`);
  }

  return {
    sink(e) {
      if (closed) return;
      if (pending() >= maxPending && !dropOldest()) {
        stats.dropped++; // everything pending is in flight: the new one goes
        return;
      }
      ready.push({ msg: webhookMessage(e), attempt: 0 });
      pump();
    },
    stats: () => ({ ...stats, pending: pending() }),
    async close() {
      closed = true;
      for (const job of waiting) clearTimeout(job.timer);
      const left = ready.length + waiting.size;
      if (left) log(`webhooks: ${left} events not sent at shutdown`);
      ready.length = 0;
      waiting.clear();
      await Promise.allSettled([...inFlight]);
    },
  };
}
