// The seam between the call layer and the network. The call layer depends only
// on this interface; nats.ws plugs in behind it (internal/nats-transport.ts),
// and unit tests plug in an in-memory fake that behaves like nats-server
// where the SDK depends on it (permissions, no responders, unsubscribe).

export interface InboundMessage {
  subject: string;
  data: Uint8Array;
  reply?: string;
}

/** Connection status as a discriminated union; every variant is emitted. */
export type TransportStatus =
  /** Connected (also the first status a new listener hears while connected). */
  | { type: 'connected' }
  | { type: 'disconnected' }
  | { type: 'reconnecting' }
  | { type: 'reconnected' }
  /** The server asked us to leave (lame duck mode): it closes us after a grace period unless we go first. */
  | { type: 'moving' }
  | { type: 'closed'; error?: Error }
  /** An asynchronous error from the server, e.g. a permissions violation. */
  | { type: 'error'; error: Error; permission: boolean };

export class NoRespondersError extends Error {
  constructor() {
    super('no responders');
    this.name = 'NoRespondersError';
  }
}
export class RequestTimeoutError extends Error {
  constructor() {
    super('request timed out');
    this.name = 'RequestTimeoutError';
  }
}

export interface Transport {
  publish(subject: string, data: Uint8Array): void;
  /** Rejects with NoRespondersError or RequestTimeoutError. */
  request(subject: string, data: Uint8Array, timeoutMs: number): Promise<Uint8Array>;
  subscribe(subject: string, onMessage: (m: InboundMessage) => void): () => void;
  /** Status changes; a listener added while connected hears `connected` first. */
  onStatus(listener: (s: TransportStatus) => void): () => void;
  /** Resolves once the server has processed everything sent so far (e.g. our subscription). */
  flush(): Promise<void>;
  /** Reconnect now, presenting fresh credentials (the `jwt` function is asked again). */
  reconnect(): Promise<void>;
  /** Whether the server answers a ping within `deadlineMs` (false at once when not connected). */
  ping(deadlineMs: number): Promise<boolean>;
  /** The server this transport is connected to (host:port), for diagnostics; undefined while not connected. */
  readonly server: string | undefined;
  /** Send everything queued (a last hang-up), stop receiving, then close. */
  drain(): Promise<void>;
  /** Close at once. */
  close(): Promise<void>;
}

/** What a transport needs to connect one signed-in user. */
export interface TransportOptions {
  servers: string[];
  uid: string;
  /** Called on every (re)connect: returns the current user JWT. */
  jwt: () => string;
  /** Connection name operators see in nats-server's /connz. */
  name: string;
}

/** Connects a Transport; VideoClient takes one (nats.ws by default). */
export type TransportFactory = (options: TransportOptions) => Promise<Transport>;
