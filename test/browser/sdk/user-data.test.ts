// The caller's custom data reaches the callee intact; oversize data is refused before anything is sent.
import { expect } from '@open-wc/testing';
import { WdVideoError, type Conversation } from 'wd-video';
import { next } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { camera, cleanup, client, connectedPair, expectNothingSent } from './helpers.js';
import { needs } from '../engine.js';

const cases: [string, unknown][] = [
  ['plain string (the seed)', 'userData'],
  ['Chinese', '你好，我是中文用户数据'],
  ['emoji and astral characters', '📞🎥👩‍👩‍👧 𝄞 —  naïve café'],
  ['a lone surrogate half', 'x\ud83dy'],
  ['HTML-looking text (stays text)', '<img src=x onerror=alert(1)> & "quotes" \'single\''],
  ['control and escape characters', 'tab\tnewline\nnul\u0000backslash\\'],
  ['object with unicode keys', { 名字: '张三', age: 42, tags: ['a', '😀'], nested: { ok: true, none: null, n: -1.5e-3 } }],
  ['array', [1, 'two', { three: 3 }, [], {}]],
  ['number 0', 0],
  ['false', false],
  ['null', null],
  ['empty string', ''],
  ['__proto__ key', JSON.parse('{"__proto__": {"polluted": true}, "k": 1}')],
];

describe('user data', function () {
  this.timeout(60_000);
  afterEach(cleanup);

  it('arrives intact: unicode (中文, emoji), objects, falsy values', async function () {
    needs(this, 'webrtc');
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    const s = await camera();
    for (const [what, data] of cases) {
      const called = next<Conversation>(b, 'called', 5000);
      const conv = a.call(b.uid!, s, { data });
      const incoming = await called;
      expect(incoming.data, what).to.deep.equal(data);
      if (typeof data === 'string') expect(incoming.data, what).to.equal(data);
      expect(conv.data, what).to.deep.equal(data);
      const closed = next<string>(incoming, 'closed', 5000);
      conv.close();
      await closed;
    }
    expect(({} as Record<string, unknown>).polluted, 'no prototype pollution').to.equal(undefined);
  });

  it('no data: the callee sees undefined', async function () {
    needs(this, 'webrtc');
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    const called = next<Conversation>(b, 'called', 5000);
    a.call(b.uid!, await camera());
    expect((await called).data).to.equal(undefined);
  });

  it('the largest allowed data (4096 bytes of UTF-8 JSON) arrives, with the invite', async function () {
    needs(this, 'webrtc');
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    const data = 'é'.repeat(1000) + 'x'.repeat(4096 - 2 - 2000); // JSON: quotes + 2000 bytes of é + the rest
    expect(new TextEncoder().encode(JSON.stringify(data)).length).to.equal(4096);
    const called = next<Conversation>(b, 'called', 5000);
    a.call(b.uid!, await camera(), { data });
    expect((await called).data).to.equal(data);
  });

  for (const [what, data] of [
    ['5000 bytes of ASCII', 'x'.repeat(5000)],
    ['1400 Chinese characters (1400 chars, 4202 bytes)', '中'.repeat(1400)],
    ['a big object', { items: Array.from({ length: 500 }, (_, i) => `item-${i}`) }],
  ] as [string, unknown][]) {
    it(`oversize data (${what}): call() throws data_too_large and nothing is sent`, async function () {
      // The "nothing is sent" checkpoint is a call.
      needs(this, 'webrtc');
      const a = await client(uniqueUid('alice'));
      const b = await client(uniqueUid('bob'));
      const s = await camera();
      let err: unknown;
      try {
        a.call(b.uid!, s, { data });
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(WdVideoError);
      expect((err as WdVideoError).code).to.equal('data_too_large');
      expect((err as Error).message).to.match(/4096/);
      expect(a.conversation).to.equal(undefined);
      await expectNothingSent(a, b, 0);
    });
  }

  it('oversize data during a call: throws, and the live call is not replaced', async function () {
    needs(this, 'webrtc');
    const { a, b, ca, cb } = await connectedPair();
    const carol = await client(uniqueUid('carol'));
    expect(() => a.call(carol.uid!, new MediaStream(), { data: 'x'.repeat(5000) })).to.throw(WdVideoError);
    expect(a.conversation).to.equal(ca);
    expect(ca.state).to.equal('connected');
    expect(cb.state).to.equal('connected');
    expect(b.conversation).to.equal(cb);
  });

  it('data that is not JSON-serialisable is refused with a clear error', async function () {
    // The "nothing is sent" checkpoint is a call.
    needs(this, 'webrtc');
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    const s = await camera();
    for (const bad of [() => 1, Symbol('x')]) {
      let err: unknown;
      try {
        a.call(b.uid!, s, { data: bad });
      } catch (e) {
        err = e;
      }
      expect(err, String(bad)).to.be.instanceOf(WdVideoError);
    }
    await expectNothingSent(a, b, 0);
  });
});
