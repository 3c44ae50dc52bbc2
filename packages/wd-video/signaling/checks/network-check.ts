// The network part of a pre-call check: can this browser sign in, reach the
// signaling server, and get a TURN relay, and how long does each round trip
// take? Loaded on first use (its own chunk): calls never need it.
import type { Session } from '../contract.js';
import { WdVideoError } from '../errors.js';
import { natsTransport } from '../internal/nats-transport-factory.js';
import { fetchSession, type SignIn } from '../session.js';
import type { Transport } from '../transport.js';
import { bounded, medianOf, type ProbeResult } from './probe.js';
import { probeRelay, type RelayResult } from './relay-probe.js';

export interface NetworkCheckOptions {
  /** The token service's sign-in URL, as for `VideoClient`. */
  authUrl: string;
  token?: string;
  anonymous?: { uid: string };
  /** Bound on each step, ms (default 8000). */
  timeout?: number;
}

export interface NetworkReport {
  /** POST /v1/session. `reason`: the sign-in error code (`connect_failed`, `token_invalid`, …) or `timeout`. */
  signIn: ProbeResult;
  /** A NATS round trip (PING/PONG) over the WebSocket. `reason`: `unreachable`, `timeout` or `skipped` (no sign-in). */
  signaling: ProbeResult;
  /** A TURN allocation and a round trip through it: see `RelayResult`; `skipped` without a sign-in. */
  relay: RelayResult;
}

const skipped: ProbeResult = { ok: false, reason: 'skipped', message: 'not tried: the sign-in failed' };

export async function checkNetwork(o: NetworkCheckOptions): Promise<NetworkReport> {
  if (!o?.authUrl) throw new WdVideoError('invalid_argument', 'checkNetwork() needs {authUrl, token} or {authUrl, anonymous: {uid}}');
  const signIn: SignIn | undefined = o.token ? { token: o.token } : o.anonymous ? { anonymous: { uid: o.anonymous.uid } } : undefined;
  if (!signIn) throw new WdVideoError('invalid_argument', 'checkNetwork() needs a token, or anonymous: {uid} for development');
  const timeout = o.timeout ?? 8000;

  let session: Session | undefined;
  const t0 = performance.now();
  let signInResult: ProbeResult;
  try {
    session = await bounded(fetchSession(o.authUrl, signIn), timeout, 'sign-in');
    signInResult = { ok: true, ms: Math.round(performance.now() - t0) };
  } catch (e) {
    const reason = (e as Error).name === 'TimeoutError' ? 'timeout' : ((e as WdVideoError).code ?? 'connect_failed');
    signInResult = { ok: false, reason, message: (e as Error).message };
  }
  if (!session) return { signIn: signInResult, signaling: skipped, relay: skipped };
  // Both at once: the relay probe does not need the signaling server.
  const [signaling, relay] = await Promise.all([probeSignaling(session, timeout), probeRelay(session.iceServers, timeout)]);
  return { signIn: signInResult, signaling, relay };
}

async function probeSignaling(session: Session, timeout: number): Promise<ProbeResult> {
  let transport: Transport | undefined;
  // No subscription on this connection: calls to this uid never ring here.
  const connecting = natsTransport({ servers: session.nats.servers, uid: session.uid, jwt: () => session.nats.jwt, name: `wd-video/check/${session.uid}` });
  try {
    try {
      transport = await bounded(connecting, timeout, 'signaling');
    } catch (e) {
      // Connected after we gave up: close it then.
      void connecting.then((t) => t.close()).catch(() => {});
      throw e;
    }
    const t = transport;
    return { ok: true, ms: await bounded(medianOf(3, () => t.flush()), timeout, 'signaling round trip') };
  } catch (e) {
    return { ok: false, reason: (e as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable', message: (e as Error).message };
  } finally {
    await transport?.close().catch(() => {});
  }
}
