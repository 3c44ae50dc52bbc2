// local_stats / remote_stats carry real numbers from Chromium's WebRTC stats.
// Their timing (every 2 s while connected, none after close) is SDK timer logic,
// proven on a fake clock in test/node/sdk/call-flows.test.ts.
import { expect } from '@open-wc/testing';
import type { MediaStats } from 'wd-video';
import { argsOf, record } from '../../shared/events.js';
import { until } from '../../shared/wait.js';
import { cleanup, connectedPair } from './helpers.js';
import { suiteNeeds } from '../engine.js';

function expectNumbers(s: MediaStats, what: string) {
  for (const k of ['width', 'height', 'fps', 'bytes', 'bitrate', 'delay', 'packetsLost'] as const) {
    expect(typeof s[k], `${what}.${k}`).to.equal('number');
    expect(Number.isFinite(s[k]), `${what}.${k} finite`).to.equal(true);
    expect(s[k], `${what}.${k} >= 0`).to.be.at.least(0);
  }
}

describe('stats events', function () {
  suiteNeeds('webrtc');
  this.timeout(40_000);
  afterEach(cleanup);

  it('carry numbers: size > 0, bytes > 0, bitrate > 0 by the second sample, path p2p', async () => {
    const { ca, cb } = await connectedPair();
    const la = record(ca, ['local_stats', 'remote_stats']);
    const lb = record(cb, ['local_stats', 'remote_stats']);
    await until(() => la.length >= 4 && lb.length >= 4, 12_000, 'two samples of each on both sides');
    for (const [side, log] of [['caller', la], ['callee', lb]] as const) {
      for (const ev of ['local_stats', 'remote_stats']) {
        const samples = argsOf(log, ev) as MediaStats[];
        expect(samples.length, `${side} ${ev} samples`).to.be.at.least(2);
        samples.forEach((s, i) => expectNumbers(s, `${side} ${ev}[${i}]`));
        const [first, second] = samples;
        for (const s of [first, second]) {
          expect(s.width, `${side} ${ev}.width`).to.be.above(0);
          expect(s.height, `${side} ${ev}.height`).to.be.above(0);
          expect(s.bytes, `${side} ${ev}.bytes`).to.be.above(0);
          expect(s.path, `${side} ${ev}.path`).to.equal('p2p');
        }
        expect(second.bytes, `${side} ${ev}: bytes grow`).to.be.above(first.bytes);
        expect(second.bitrate, `${side} ${ev}.bitrate on the 2nd sample`).to.be.above(0);
        expect(second.fps, `${side} ${ev}.fps`).to.be.above(0);
      }
    }
  });
});
