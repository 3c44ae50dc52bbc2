// <wd-call> re-renders every second (the duration): its videos must play on.
// Setting a <video>'s srcObject, even to the same stream, restarts it (abort,
// emptied: a blank frame), and Lit sets object-valued properties on every render.
import { expect } from '@open-wc/testing';
import { waitUntil } from '../wait.js';
import { inCall, pair, part } from './helpers.js';
import { suiteNeeds } from '../engine.js';

describe('<wd-call> videos across re-renders', function () {
  suiteNeeds('webrtc');
  this.timeout(30_000);

  it('three duration ticks later, neither video has been restarted', async () => {
    const p = await pair();
    await inCall(p);
    const restarts: string[] = [];
    for (const name of ['remote-video', 'local-video']) {
      const v = part<HTMLVideoElement>(p.call, name);
      for (const e of ['emptied', 'abort']) v.addEventListener(e, () => restarts.push(`${name} ${e}`));
    }
    const start = part(p.call, 'duration').textContent;
    const seconds = (s: string | null) => Number(s?.split(':')[1] ?? 0) + 60 * Number(s?.split(':')[0] ?? 0);
    await waitUntil(() => seconds(part(p.call, 'duration').textContent) >= seconds(start) + 3, 'three duration ticks', { timeout: 10_000 });
    expect(restarts).to.deep.equal([]);
    p.call.hangup();
  });
});
