// The reply guard: bob answers a request only when its reply subject starts with
// `_INBOX.<sender>.`; otherwise mallory could make bob publish into carol's inbox.
import { expect } from '@open-wc/testing';
import type { Conversation } from 'wd-video';
import { next, record } from '../../shared/events.js';
import { fakeId, uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';
import { cleanup, client, collect, json, rawNats } from './helpers.js';

const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';
const invite = () => ({ v: 1, callId: fakeId(), dev: fakeId(), sdp: SDP, relay: false, ttl: 30000, data: 'hi' });
const dec = (d: Uint8Array) => new TextDecoder().decode(d);

describe('forged reply subjects', function () {
  this.timeout(30_000);
  afterEach(cleanup);

  it('an invite whose reply points at carol\'s inbox: carol receives nothing, bob never rings, forged_reply counted', async () => {
    const bob = await client(uniqueUid('bob'));
    const carolUid = uniqueUid('carol');
    const malloryUid = uniqueUid('mallory');
    const carol = await rawNats(carolUid);
    const mallory = await rawNats(malloryUid);
    const carolInbox = collect(carol.nc, `_INBOX.${carolUid}.>`);
    await carol.nc.flush();
    const rang = record(bob, ['called']);
    const before = bob.counters.byReason.forged_reply ?? 0;
    const subject = `wd.u.${bob.uid}.${malloryUid}.invite`;

    const forged = [
      `_INBOX.${carolUid}.abc`,
      `_INBOX.${carolUid}`,
      `_INBOX.${malloryUid}`, // no trailing dot: the prefix check must include it
      `_INBOX.${malloryUid}.>`, // wildcard
      `_INBOX.${malloryUid}.*`,
      `wd.u.${carolUid}.${bob.uid}.hangup`, // make bob "hang up" on carol
      `_INBOX.${malloryUid}x.abc`,
    ];
    for (const reply of forged) mallory.nc.publish(subject, json(invite()), { reply });
    await mallory.nc.flush();
    await until(() => (bob.counters.byReason.forged_reply ?? 0) - before >= forged.length, 5000, () => `forged_reply counted ${forged.length} times (got ${(bob.counters.byReason.forged_reply ?? 0) - before})`);
    // Counting is what bob does instead of ringing: a call would have rung by now.
    expect(rang, 'bob never rings').to.deep.equal([]);
    expect(bob.conversation).to.equal(undefined);

    // Forged reply on a reliable message (acked when the reply is legitimate): no ack to carol.
    const before2 = bob.counters.byReason.forged_reply ?? 0;
    mallory.nc.publish(`wd.u.${bob.uid}.${malloryUid}.hangup`, json({ v: 1, callId: fakeId(), dev: fakeId(), reason: 'hangup' }), { reply: `_INBOX.${carolUid}.ack` });
    await until(() => (bob.counters.byReason.forged_reply ?? 0) > before2, 5000, 'forged reply on hangup counted');

    // Controls (so the assertions cannot pass vacuously), and the moment to check: bob has handled
    // mallory's messages and answers on one connection, so an ack to carol's own request, sent
    // after them, reaches her after anything bob might have sent her for mallory.
    // 1) carol's subscription works: her own legitimate request to bob gets its ack there.
    carol.nc.publish(`wd.u.${bob.uid}.${carolUid}.hangup`, json({ v: 1, callId: fakeId(), dev: fakeId(), reason: 'hangup' }), { reply: `_INBOX.${carolUid}.ctl` });
    await until(() => carolInbox.msgs.some((m) => m.subject.endsWith('.ctl')), 5000, 'carol receives the ack to her own request');
    expect(carolInbox.msgs.map((m) => m.subject), 'carol received only the ack to her own request').to.deep.equal([`_INBOX.${carolUid}.ctl`]);
    expect(JSON.parse(dec(carolInbox.msgs[0].data)).t).to.equal('ack');
    // 2) the very same invite with mallory's own inbox makes bob ring and answers mallory.
    const malloryInbox = collect(mallory.nc, `_INBOX.${malloryUid}.>`);
    const called = next<Conversation>(bob, 'called', 5000);
    const inv = invite();
    mallory.nc.publish(subject, json(inv), { reply: `_INBOX.${malloryUid}.ok` });
    const incoming = await called;
    expect(incoming.remoteUid).to.equal(malloryUid);
    expect(incoming.callId).to.equal(inv.callId);
    await until(() => malloryInbox.msgs.length > 0, 10_000, 'mallory gets "ringing"');
    expect(JSON.parse(dec(malloryInbox.msgs[0].data)).t).to.equal('ringing');
    expect(carolInbox.msgs, 'carol still has only her own ack').to.have.length(1);
  });

  it('busy path: bob in a call answers a forged-reply invite to nobody', async () => {
    const bob = await client(uniqueUid('bob'));
    const carolUid = uniqueUid('carol');
    const malloryUid = uniqueUid('mallory');
    const carol = await rawNats(carolUid);
    const mallory = await rawNats(malloryUid);
    // Put bob in a (ringing) call so the busy branch is the one that would reply.
    const m2 = await rawNats(uniqueUid('dave'));
    const called = next<Conversation>(bob, 'called', 5000);
    m2.nc.publish(`wd.u.${bob.uid}.${m2.uid}.invite`, json(invite()), { reply: `_INBOX.${m2.uid}.r` });
    await called;
    const carolInbox = collect(carol.nc, `_INBOX.${carolUid}.>`);
    const carolWd = collect(carol.nc, `wd.u.${carolUid}.>`);
    await carol.nc.flush();
    const before = bob.counters.byReason.forged_reply ?? 0;
    mallory.nc.publish(`wd.u.${bob.uid}.${malloryUid}.invite`, json(invite()), { reply: `_INBOX.${carolUid}.busy` });
    await until(() => (bob.counters.byReason.forged_reply ?? 0) > before, 5000, 'forged_reply counted');
    // Control and checkpoint: carol's own invite while bob is busy gets BUSY twice (her inbox and
    // her subject), sent on bob's one connection after anything bob sent for mallory's invite.
    const own = invite();
    carol.nc.publish(`wd.u.${bob.uid}.${carolUid}.invite`, json(own), { reply: `_INBOX.${carolUid}.ctl` });
    const callIds = (msgs: { data: Uint8Array }[]) => msgs.map((m) => JSON.parse(dec(m.data)).callId);
    await until(() => callIds(carolWd.msgs).includes(own.callId), 5000, "BUSY for carol's own invite");
    expect(carolInbox.msgs.map((m) => m.subject), "carol's inbox: only the reply to her own invite").to.deep.equal([`_INBOX.${carolUid}.ctl`]);
    expect(JSON.parse(dec(carolInbox.msgs[0].data)).t).to.equal('busy');
    expect(callIds(carolWd.msgs), "carol's subjects: only the busy for her own invite").to.deep.equal([own.callId]);
  });
});
