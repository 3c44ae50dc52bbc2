// A VideoClient wired to the in-memory hub: the token service and nats.ws are
// replaced through the SDK's test seams (wd-video/internal), nothing else.
import { VideoClient, type Session, type VideoClientOptions } from 'wd-video';
import { withSeams } from 'wd-video/internal';
import { MemoryHub, type MemoryTransport } from './memory-transport.js';

export interface MemoryClientOptions {
  timeout?: number;
  /** Sign in with an app token, so the uid is known only from the session. */
  token?: boolean;
  /** Where the client would ask the token service (push requests use it); default `memory:`. */
  authUrl?: string;
  /** Fields the token service's session adds (e.g. `push: false`). */
  session?: Partial<Session>;
  /** Sees the transport the client connects with. */
  onTransport?: (t: MemoryTransport) => void;
}

/** A client (not started) signed in as `uid` on `hub`. */
export function memoryClient(hub: MemoryHub, uid: string, o: MemoryClientOptions = {}): VideoClient {
  const signIn: Partial<VideoClientOptions> = o.token ? { token: 'app-token' } : { anonymous: { uid } };
  return withSeams(new VideoClient({ authUrl: o.authUrl ?? 'memory:', ...signIn, timeout: o.timeout }), {
    session: async () => ({ uid, nats: { servers: [], jwt: 'x' }, iceServers: [], expiresAt: Date.now() + 3_600_000, ttl: 3600, ...o.session }),
    transport: async () => {
      const t = hub.transport(uid);
      o.onTransport?.(t);
      return t;
    },
  });
}

/** A hub and the clients started on it, for one test file: reset() between tests, close() after. */
export function memoryNetwork() {
  let hub = new MemoryHub();
  const clients: VideoClient[] = [];
  const close = () => Promise.all(clients.splice(0).map((c) => c.close()));
  return {
    get hub() {
      return hub;
    },
    /** A started client signed in as `uid`. */
    async client(uid: string, o: MemoryClientOptions = {}) {
      const c = memoryClient(hub, uid, o);
      clients.push(c);
      await c.start();
      return c;
    },
    /** Closes every client and starts a fresh hub. */
    async reset() {
      await close();
      hub = new MemoryHub();
    },
    close,
  };
}
