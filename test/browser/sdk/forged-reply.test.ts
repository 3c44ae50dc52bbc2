// The reply guard: bob answers a request only when its reply subject starts with
// `_INBOX.<sender>.`; otherwise mallory could make bob publish into carol's inbox.
import { expect } from '@open-wc/testing';
import type { Conversation } from 'wd-video';
import { cleanup, client, collect, fakeId, json, next, none, rawNats, sleep, uniqueUid, until } from './helpers.js';

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
    const noCall = none(bob, 'called', 2000);
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
    await until(() => (bob.counters.byReason.forged_reply ?? 0) - before >= forged.length, 5000, `forged_reply counted ${forged.length} times (got ${(bob.counters.byReason.forged_reply ?? 0) - before})`);
    await noCall;
    expect(bob.conversation).to.equal(undefined);
    expect(carolInbox.msgs.map((m) => `${m.subject}: ${dec(m.data)}`), 'carol received nothing').to.deep.equal([]);

    // Forged reply on a reliable message (acked when the reply is legitimate): no ack to carol.
    const before2 = bob.counters.byReason.forged_reply ?? 0;
    mallory.nc.publish(`wd.u.${bob.uid}.${malloryUid}.hangup`, json({ v: 1, callId: fakeId(), dev: fakeId(), reason: 'hangup' }), { reply: `_INBOX.${carolUid}.ack` });
    await until(() => (bob.counters.byReason.forged_reply ?? 0) > before2, 5000, 'forged reply on hangup counted');
    await sleep(700);
    expect(carolInbox.msgs.map((m) => m.subject), 'carol received no ack').to.deep.equal([]);

    // Controls (so the assertions above cannot pass vacuously):
    // 1) carol's subscription works: her own legitimate request to bob gets its ack there.
    carol.nc.publish(`wd.u.${bob.uid}.${carolUid}.hangup`, json({ v: 1, callId: fakeId(), dev: fakeId(), reason: 'hangup' }), { reply: `_INBOX.${carolUid}.ctl` });
    await until(() => carolInbox.msgs.length > 0, 5000, 'carol receives the ack to her own request');
    expect(carolInbox.msgs.map((m) => m.subject)).to.deep.equal([`_INBOX.${carolUid}.ctl`]);
    expect(JSON.parse(dec(carolInbox.msgs[0].data)).t).to.equal('ack');
    // 2) the very same invite with mallory's own inbox makes bob ring and answers mallory.
    const malloryInbox = collect(mallory.nc, `_INBOX.${malloryUid}.>`);
    const called = next<Conversation>(bob, 'called', 5000);
    const inv = invite();
    mallory.nc.publish(subject, json(inv), { reply: `_INBOX.${malloryUid}.ok` });
    const incoming = await called;
    expect(incoming.remoteUid).to.equal(malloryUid);
    expect(incoming.callId).to.equal(inv.callId);
    await until(() => malloryInbox.msgs.length > 0, 3000, 'mallory gets "ringing"');
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
    await sleep(700);
    expect(carolInbox.msgs, 'nothing in carol\'s inbox').to.deep.equal([]);
    expect(carolWd.msgs, 'nothing on carol\'s subjects').to.deep.equal([]);
  });
});
