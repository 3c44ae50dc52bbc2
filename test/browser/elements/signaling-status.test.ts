// <wd-call> during a signaling outage in a call: the media goes on, and the
// element says the call service is unreachable (attribute, visible text in a
// live region) until the client is back, then clears it.
import { executeServerCommand } from '@web/test-runner-commands';
import { expect, fixtureCleanup } from '@open-wc/testing';
import { waitUntil } from '../wait.js';
import { inCall, pair, part, visible } from './helpers.js';
import { suiteNeeds } from '../engine.js';

describe('<wd-call> while signaling is down', function () {
  suiteNeeds('webrtc');
  this.timeout(60_000);
  afterEach(() => fixtureCleanup());

  it('shows signaling-reconnecting while nats-server restarts mid-call, and clears it once back', async () => {
    const p = await pair();
    await inCall(p);
    const status = part(p.call, 'signaling-status');
    expect(p.call.hasAttribute('signaling-reconnecting')).to.equal(false);
    expect(visible(status), 'nothing shown while signaling is up').to.equal(false);

    const restarted = executeServerCommand('wd-stack', { action: 'restart-nats', downMs: 3000 });
    await waitUntil(() => p.call.hasAttribute('signaling-reconnecting'), 'the attribute is set during the outage', { timeout: 15_000 });
    await p.call.updateComplete;
    expect(visible(status), 'the notice is visible').to.equal(true);
    expect(status.getAttribute('role')).to.equal('status');
    expect(status.textContent).to.contain('reconnecting');
    expect(p.call.state, 'the call itself goes on').to.equal('connected');

    await restarted;
    await waitUntil(() => !p.call.hasAttribute('signaling-reconnecting'), 'cleared once the client is back', { timeout: 20_000 });
    await p.call.updateComplete;
    expect(visible(status)).to.equal(false);
    expect(p.call.state).to.equal('connected');
  });
});
