// The in-memory transport the call-flow unit tests run on must behave like
// the real thing where the SDK depends on it. The same assertions run against
// MemoryTransport and against NatsTransport (nats.ws) on the test stack's
// nats-server, signed in at its token service: if nats-server changes, or the
// fake drifts, one of the two fails.
import '../helpers/ws-shim.js';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { inboundSubject, subjectFor } from 'wd-video/contract';
import { connectNats, NoRespondersError, type InboundMessage, type Transport, type TransportStatus } from 'wd-video/internal';
import { uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';
import { MemoryHub } from '../helpers/memory-transport.js';
import { signIn } from '../helpers/stack-env.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (d: Uint8Array) => new TextDecoder().decode(d);

interface Peer {
  uid: string;
  t: Transport;
  statuses: TransportStatus[];
  /** Subscribes to `subject`; resolves once the server has the interest. */
  inbox(subject: string): Promise<{ got: InboundMessage[]; off: () => void }>;
  permissionError(): Promise<TransportStatus>;
}

function conformance(kind: string, connectAs: (uid: string) => Promise<Transport>) {
  describe(`Transport conformance: ${kind}`, () => {
    const open: Transport[] = [];
    after(() => Promise.all(open.map((t) => t.close().catch(() => {}))));

    async function peer(name: string): Promise<Peer> {
      const uid = uniqueUid(name);
      const t = await connectAs(uid);
      open.push(t);
      const statuses: TransportStatus[] = [];
      t.onStatus((s) => statuses.push(s));
      return {
        uid,
        t,
        statuses,
        async inbox(subject) {
          const got: InboundMessage[] = [];
          const off = t.subscribe(subject, (m) => got.push(m));
          await t.flush(); // the server has the interest before anyone publishes
          return { got, off };
        },
        permissionError: () =>
          until(() => statuses.find((s) => s.type === 'error' && s.permission), 5000, `a permission error on ${uid}'s status (saw ${JSON.stringify(statuses.map((s) => s.type))})`),
      };
    }

    it('a listener added while connected hears {type: "connected"} first', async () => {
      const a = await peer('alice');
      await until(() => a.statuses.length > 0, 5000, 'a status');
      assert.equal(a.statuses[0].type, 'connected');
    });

    it('request/reply: the callee answers once on the reply subject', async () => {
      const [a, b] = [await peer('alice'), await peer('bob')];
      b.t.subscribe(inboundSubject(b.uid), (m) => m.reply && b.t.publish(m.reply, enc(`ringing ${dec(m.data)}`)));
      await b.t.flush();
      const reply = await a.t.request(subjectFor(b.uid, a.uid, 'invite'), enc('offer'), 5000);
      assert.equal(dec(reply), 'ringing offer');
    });

    it('a second reply to the same request, or a reply nobody asked for, is refused', async () => {
      const [a, b] = [await peer('alice'), await peer('bob')];
      const replies: string[] = [];
      b.t.subscribe(inboundSubject(b.uid), (m) => {
        if (m.reply) replies.push(m.reply);
      });
      await b.t.flush();
      // Bob's handler only notes the reply subject; the test answers by hand, twice.
      const pending = a.t.request(subjectFor(b.uid, a.uid, 'invite'), enc('offer'), 3000).then(dec, (e: Error) => e.name);
      const reply = await until(() => replies[0], 5000, 'the request at bob');
      b.t.publish(reply, enc('first'));
      assert.equal(await pending, 'first');
      b.t.publish(reply, enc('second'));
      const err = await b.permissionError();
      assert.match(String((err as { error: Error }).error.message), /permission/i);
    });

    it('publishing as another uid is dropped, and the publisher is told', async () => {
      const [a, b] = [await peer('alice'), await peer('bob')];
      const carol = uniqueUid('carol');
      const bob = await b.inbox(inboundSubject(b.uid));
      a.t.publish(subjectFor(b.uid, carol, 'hangup'), enc('i am carol'));
      // Then a legitimate one on the same connection: once bob has it, the spoofed one would have arrived first.
      a.t.publish(subjectFor(b.uid, a.uid, 'hangup'), enc('marker'));
      await until(() => bob.got.length > 0, 5000, 'the marker at bob');
      assert.deepEqual(bob.got.map((m) => dec(m.data)), ['marker'], 'bob sees only the legitimate message');
      await a.permissionError();
    });

    it('a request as another uid is refused: it fails, nobody gets it, the requester is told', async () => {
      const [a, b] = [await peer('alice'), await peer('bob')];
      const bob = await b.inbox(inboundSubject(b.uid));
      const outcome = await a.t.request(subjectFor(b.uid, uniqueUid('carol'), 'invite'), enc('offer'), 3000).then(
        () => 'answered',
        (e: Error) => String(e.message),
      );
      assert.match(outcome, /permission/i, 'the request fails with the permission error');
      await a.permissionError();
      a.t.publish(subjectFor(b.uid, a.uid, 'hangup'), enc('marker'));
      await until(() => bob.got.length > 0, 5000, 'the marker at bob');
      assert.deepEqual(bob.got.map((m) => dec(m.data)), ['marker']);
    });

    it("subscribing to another user's subjects is refused, and nothing arrives there", async () => {
      const [a, b, c] = [await peer('alice'), await peer('bob'), await peer('carol')];
      const spy = await a.inbox(inboundSubject(b.uid));
      await a.permissionError();
      const own = await a.inbox(inboundSubject(a.uid));
      const bob = await b.inbox(inboundSubject(b.uid));
      c.t.publish(subjectFor(b.uid, c.uid, 'invite'), enc('for bob only'));
      // Carol then writes to alice: had alice's spy subscription been accepted, it would have had bob's message first.
      c.t.publish(subjectFor(a.uid, c.uid, 'invite'), enc('for alice'));
      await until(() => bob.got.length > 0 && own.got.length > 0, 5000, 'both deliveries');
      assert.deepEqual(spy.got, []);
    });

    it('a request nobody listens to fails with no responders', async () => {
      const a = await peer('alice');
      // A timeout would reject too, but with RequestTimeoutError: the class says the server answered.
      await assert.rejects(a.t.request(subjectFor(uniqueUid('nobody'), a.uid, 'invite'), enc('offer'), 10_000), NoRespondersError);
    });

    it('unsubscribe really unsubscribes, also across a reconnect', async () => {
      const [a, b] = [await peer('alice'), await peer('bob')];
      const one = await b.inbox(subjectFor(b.uid, a.uid, 'invite'));
      const marker = await b.inbox(subjectFor(b.uid, a.uid, 'hangup'));
      one.off();
      await b.t.flush();
      a.t.publish(subjectFor(b.uid, a.uid, 'invite'), enc('after unsubscribe'));
      a.t.publish(subjectFor(b.uid, a.uid, 'hangup'), enc('marker'));
      await until(() => marker.got.length > 0, 5000, 'the marker at bob');
      assert.deepEqual(one.got, [], 'nothing after unsubscribe');
      await assert.rejects(a.t.request(subjectFor(b.uid, a.uid, 'invite'), enc('offer'), 10_000), NoRespondersError);

      const before = b.statuses.length;
      await b.t.reconnect();
      await until(() => b.statuses.slice(before).some((s) => s.type === 'reconnected'), 10_000, `bob reconnected (saw ${JSON.stringify(b.statuses.map((s) => s.type))})`);
      await b.t.flush();
      await assert.rejects(a.t.request(subjectFor(b.uid, a.uid, 'invite'), enc('offer'), 10_000), NoRespondersError, 'still unsubscribed after the reconnect');
    });

    it('reconnect(): disconnected, then reconnected, and subscriptions work again', async () => {
      const [a, b] = [await peer('alice'), await peer('bob')];
      b.t.subscribe(inboundSubject(b.uid), (m) => m.reply && b.t.publish(m.reply, enc('here')));
      await b.t.flush();
      await until(() => b.statuses.length > 0, 5000, 'the first status');
      await b.t.reconnect();
      await until(() => b.statuses.some((s) => s.type === 'reconnected'), 10_000, `bob reconnected (saw ${JSON.stringify(b.statuses.map((s) => s.type))})`);
      const types = b.statuses.map((s) => s.type);
      assert.ok(types.indexOf('disconnected') > 0 && types.indexOf('disconnected') < types.indexOf('reconnected'), `order: ${types}`);
      await b.t.flush();
      assert.equal(dec(await a.t.request(subjectFor(b.uid, a.uid, 'invite'), enc('offer'), 5000)), 'here');
    });

    it('drain(): closed afterwards, and requests to it find no responders', async () => {
      const [a, b] = [await peer('alice'), await peer('bob')];
      await b.inbox(inboundSubject(b.uid));
      await b.t.drain();
      await until(() => b.statuses.some((s) => s.type === 'closed'), 5000, 'closed status');
      await assert.rejects(a.t.request(subjectFor(b.uid, a.uid, 'invite'), enc('offer'), 10_000), NoRespondersError);
    });
  });
}

const hub = new MemoryHub();
conformance('MemoryTransport (in memory)', async (uid) => hub.transport(uid));
conformance('NatsTransport (nats.ws, real nats-server)', async (uid) => {
  const session = await signIn(uid);
  return connectNats({ servers: session.nats.servers, uid, jwt: () => session.nats.jwt, name: `wd-video/${uid}` });
});
