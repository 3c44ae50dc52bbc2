// Push subscriptions in JetStream, for deployments of several token services:
// every instance reads and writes the same stream, so a device registered
// through one instance is rung through any other (FilePushStore would know it
// only where it was registered). Stream WD_PUSH, one subject per user,
// `wd.push.<uid>`, whose last message is that user's device list
// (max_msgs_per_subject 1). A change is compare-and-set on that subject's last
// sequence: two instances changing one user's devices at once lose neither
// change, the second one reads again and retries. Only the service user may
// touch the stream (service-user.ts); no browser's permissions name it.
import type { JetStreamClient, JetStreamManager, NatsConnection } from 'nats.ws';
import { isUid } from 'wd-video/contract';
import { HttpError } from '../errors.js';
import { PUSH_STREAM } from '../history/service-user.js';
import { directGet, ensureStream, isNotFound } from '../jetstream.js';
import { withDevice, type PushStore, type StoredSubscription } from './store.js';

export interface JetStreamPushStoreOptions {
  /** The service user's connection (the history service makes it). */
  connection: () => Promise<NatsConnection>;
  /** 1 for one node, 3 in a cluster of three or more (WD_HISTORY_REPLICAS). */
  replicas: number;
  log?: (line: string) => void;
}

interface Opened {
  js: JetStreamClient;
  jsm: JetStreamManager;
}

/** How long a request waits for the service connection and the stream before it is a 503. */
const READY_MS = 5000;
/** Compare-and-set attempts before a 503: a writer loses a round only to one that then is done, so up to 8 writers at once on one user always finish (the test runs 6). */
const ATTEMPTS = 8;

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const subjectOf = (uid: string) => `wd.push.${uid}`;
const unavailable = () => new HttpError(503, 'push_unavailable', 'the push subscription store cannot be reached, try again later');

export class JetStreamPushStore implements PushStore {
  private opening: Promise<Opened> | undefined;

  constructor(private readonly o: JetStreamPushStoreOptions) {}

  async list(uid: string): Promise<StoredSubscription[]> {
    return (await this.read(await this.open(), uid)).subs;
  }

  async put(uid: string, sub: StoredSubscription, maxDevices: number): Promise<'added' | 'updated' | 'full'> {
    let result: 'added' | 'updated' | 'full' = 'full';
    await this.change(uid, (subs) => {
      const r = withDevice(subs, sub, maxDevices);
      result = r.result;
      return r.result === 'full' ? undefined : r.next;
    });
    return result;
  }

  async remove(uid: string, deviceId: string): Promise<boolean> {
    let removed = false;
    await this.change(uid, (subs) => {
      const left = subs.filter((s) => s.deviceId !== deviceId);
      removed = left.length !== subs.length;
      return removed ? left : undefined;
    });
    return removed;
  }

  /** Read, `edit` (undefined: nothing to write), write if nobody wrote meanwhile; else again. */
  private async change(uid: string, edit: (subs: StoredSubscription[]) => StoredSubscription[] | undefined): Promise<void> {
    if (!isUid(uid)) throw new Error(`not a uid: ${JSON.stringify(uid)}`);
    const s = await this.open();
    for (let i = 0; i < ATTEMPTS; i++) {
      const { subs, seq } = await this.read(s, uid);
      const next = edit(subs);
      if (!next) return;
      try {
        // Sequence 0: the subject must have no message yet.
        await s.js.publish(subjectOf(uid), enc(next), { expect: { lastSubjectSequence: seq } });
        return;
      } catch (e) {
        if (!/wrong last sequence/i.test((e as Error)?.message ?? '')) throw this.failed(e);
      }
    }
    throw unavailable();
  }

  private async read(s: Opened, uid: string): Promise<{ subs: StoredSubscription[]; seq: number }> {
    try {
      const m = await directGet(s.jsm).getMessage(PUSH_STREAM, { last_by_subj: subjectOf(uid) });
      const subs = JSON.parse(new TextDecoder().decode(m.data)) as unknown;
      return { subs: Array.isArray(subs) ? (subs as StoredSubscription[]) : [], seq: m.seq };
    } catch (e) {
      if (isNotFound(e)) return { subs: [], seq: 0 };
      throw this.failed(e);
    }
  }

  /** The stream, made once; a failure is a 503 now and a new attempt on the next request. */
  private async open(): Promise<Opened> {
    if (!this.opening) {
      const p = this.connect();
      this.opening = p;
      p.catch(() => this.opening === p && (this.opening = undefined));
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(unavailable()), READY_MS)));
    try {
      return await Promise.race([this.opening, late]);
    } catch (e) {
      throw this.failed(e);
    } finally {
      clearTimeout(timer);
    }
  }

  private async connect(): Promise<Opened> {
    const nc = await this.o.connection();
    const jsm = await nc.jetstreamManager({ timeout: READY_MS });
    // No max_age: a subscription lasts until its device drops it or the push service says it is gone.
    await ensureStream(jsm, { name: PUSH_STREAM, subjects: ['wd.push.*'], max_msgs_per_subject: 1, num_replicas: this.o.replicas, allow_direct: true });
    return { js: nc.jetstream({ timeout: READY_MS }), jsm };
  }

  private failed(e: unknown): HttpError {
    if (e instanceof HttpError) return e;
    this.o.log?.(`push: subscription store: ${(e as Error)?.message ?? e}`);
    return unavailable();
  }
}
