// The seam between the call layer and the network. The call layer depends only
// on this interface; nats.ws plugs in behind it (internal/nats-transport.ts),
// and unit tests use an in-memory fake.

export interface InboundMessage {
  subject: string;
  data: Uint8Array;
  reply?: string;
}

/** Connection status as a discriminated union. */
export type TransportStatus =
  | { type: 'connected' }
  | { type: 'disconnected' }
  | { type: 'reconnecting' }
  | { type: 'reconnected' }
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
  onStatus(listener: (s: TransportStatus) => void): () => void;
  /** Resolves once the server has processed everything sent so far (e.g. our subscription). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
