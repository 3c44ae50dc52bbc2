// <wd-call-history> in plain markup (no script of the page's own): it loads the
// signed-in user's history, adds a missed call as it arrives (marked, caller
// data shown as text) and an answered call as it ends, each once, is
// accessible and localized, marks calls seen, and
// Call back places the call through the <wd-call> named by `for`.
import { expect, fixture, html } from '@open-wc/testing';
import { waitUntil } from '../wait.js';
import type { Conversation } from 'wd-video';
import type { WdCall, WdCallHistory } from 'wd-video/elements';
import { next } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { authUrl } from '../env.js';
import { connected, nextEvent, part, type WdVideoClient } from './helpers.js';
import { suiteNeeds } from '../engine.js';

/** A part inside one list item. */
const inItem = (item: Element, name: string) => item.querySelector<HTMLElement>(`[part~="${name}"]`)!;

const DATA = '<img src=x onerror="window.__pwned = 1">';

async function page() {
  const aliceUid = uniqueUid('alice');
  const bobUid = uniqueUid('bob');
  const root = await fixture<HTMLElement>(html`
    <div>
      <wd-video-client id="alice" auth-url=${authUrl()} anonymous uid=${aliceUid}>
        <wd-call remote-uid=${bobUid} data=${DATA}></wd-call>
      </wd-video-client>
      <wd-video-client id="bob" auth-url=${authUrl()} anonymous uid=${bobUid}>
        <wd-call-history for="bob-call"></wd-call-history>
        <wd-call id="bob-call"></wd-call>
      </wd-video-client>
    </div>
  `);
  const alice = root.querySelector<WdVideoClient>('#alice')!;
  const bob = root.querySelector<WdVideoClient>('#bob')!;
  await Promise.all([connected(alice), connected(bob)]);
  const history = bob.querySelector('wd-call-history')!;
  await waitUntil(() => history.state === 'ready', 'the history loaded', { timeout: 10_000 });
  return { alice, bob, aliceUid, bobUid, history, aliceCall: alice.querySelector('wd-call')!, bobCall: root.querySelector<WdCall>('#bob-call')! };
}

/** alice calls bob and hangs up while it rings: a missed call for bob. */
async function missedCall(p: Awaited<ReturnType<typeof page>>) {
  const rings = next<Conversation>(p.bob.client!, 'called', 10_000);
  await p.aliceCall.start();
  await rings;
  const missed = nextEvent(p.history, 'wd-missed-call', 10_000);
  p.aliceCall.hangup();
  return (await missed).detail.record;
}

describe('<wd-call-history>', function () {
  this.timeout(40_000);
  suiteNeeds('webrtc');

  it('empty at first; a missed call appears live, marked, with the caller and data as text; accessible', async () => {
    const p = await page();
    expect(part(p.history, 'empty').textContent).to.equal('No calls yet');
    await expect(p.history).to.be.accessible();
    const record = await missedCall(p);
    expect([record.caller, record.outcome, record.reason]).to.deep.equal([p.aliceUid, 'missed', 'cancelled']);
    await p.history.updateComplete;
    // The service sends call_record before missed_call: both are in by now, shown as one call.
    expect(p.history.records.map((r) => r.callId)).to.deep.equal([record.callId]);
    const item = part(p.history, 'item');
    expect(item.getAttribute('part')).to.equal('item missed unseen');
    expect(inItem(item, 'peer').textContent).to.equal(`From ${p.aliceUid}`);
    expect(inItem(item, 'outcome').textContent).to.equal('Missed call');
    expect(inItem(item, 'data').textContent).to.equal(DATA);
    expect(p.history.shadowRoot!.querySelector('img'), 'the data is text, not markup').to.equal(null);
    expect(inItem(item, 'call-back-button').getAttribute('aria-label')).to.equal(`Call back ${p.aliceUid}`);
    await expect(p.history).to.be.accessible();
  });

  it('an answered call appears when it ends, without a reload, as answered and not as missed', async () => {
    const p = await page();
    let announced = 0;
    p.history.addEventListener('wd-missed-call', () => announced++);
    const rings = next<Conversation>(p.bob.client!, 'called', 10_000);
    await p.aliceCall.start();
    const incoming = await rings;
    const camera = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    await incoming.accept(camera);
    await waitUntil(() => p.aliceCall.state === 'connected', 'alice connected', { timeout: 15_000 });
    p.aliceCall.hangup();
    camera.getTracks().forEach((t) => t.stop());
    await waitUntil(() => p.history.records.length > 0, 'the call in bob\'s list');
    const [rec] = p.history.records;
    expect([rec!.callId, rec!.direction, rec!.outcome, rec!.caller]).to.deep.equal([incoming.callId, 'incoming', 'answered', p.aliceUid]);
    await p.history.updateComplete;
    const item = part(p.history, 'item');
    expect(item.getAttribute('part')).to.equal('item');
    expect(inItem(item, 'outcome').textContent).to.match(/^Answered, /);
    expect(announced, 'no wd-missed-call').to.equal(0);
  });

  it('localized: lang="zh-CN" shows the Chinese labels', async () => {
    const p = await page();
    await missedCall(p);
    p.history.setAttribute('lang', 'zh-CN');
    await waitUntil(() => part(p.history, 'title').textContent === '最近通话', 'the Chinese title');
    expect(part(p.history, 'outcome').textContent).to.equal('未接来电');
    expect(part(p.history, 'call-back-button').textContent!.trim()).to.equal('回拨');
  });

  it('Mark all as seen clears the missed marks, also after a reload of the history', async () => {
    const p = await page();
    await missedCall(p);
    await p.history.updateComplete;
    part(p.history, 'mark-seen-button').click();
    await waitUntil(() => part(p.history, 'item').getAttribute('part') === 'item missed', 'the unseen mark gone');
    await p.history.refresh();
    expect(part(p.history, 'item').getAttribute('part')).to.equal('item missed');
    expect(part(p.history, 'mark-seen-button').hidden).to.equal(true);
  });

  it('Call back calls the caller through the <wd-call> named by for', async () => {
    const p = await page();
    await missedCall(p);
    await p.history.updateComplete;
    const rings = next<Conversation>(p.alice.client!, 'called', 15_000, 'the call back ringing at alice');
    const chosen = nextEvent(p.history, 'wd-call-back');
    part(p.history, 'call-back-button').click();
    const { detail } = await chosen;
    expect(detail.uid).to.equal(p.aliceUid);
    expect(detail.call).to.equal(p.bobCall);
    expect((await rings).remoteUid).to.equal(p.bobUid);
    expect(p.bobCall.remoteUid).to.equal(p.aliceUid);
    p.bobCall.hangup();
  });
});

declare global {
  interface Window {
    __pwned?: number;
  }
}
export type { WdCallHistory };
