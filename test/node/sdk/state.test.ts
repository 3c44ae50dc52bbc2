// The one transition table: closed is final, and no state skips the answer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canMove, CallState, transitions } from 'wd-video/internal';

describe('call state table', () => {
  it('closed is final', () => {
    for (const s of Object.values(CallState)) assert.equal(canMove('closed', s), false);
  });
  it('every state can close', () => {
    for (const s of Object.values(CallState)) if (s !== 'closed') assert.equal(canMove(s, 'closed'), true, s);
  });
  it('a ringing call cannot be connected without going through connecting', () => {
    assert.equal(canMove('ringing', 'connected'), false);
    assert.equal(canMove('incoming', 'connected'), false);
    assert.equal(canMove('calling', 'connected'), false);
  });
  it('only a live call can reconnect', () => {
    const from = Object.entries(transitions).filter(([, to]) => to.includes('reconnecting')).map(([s]) => s);
    assert.deepEqual(from, ['connected']);
  });
});
