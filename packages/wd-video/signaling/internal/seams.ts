// Test seams: what tests put in place of the token service and of nats.ws.
// Not part of the public API or its types; tests reach it through the
// package's internal entry (`wd-video/internal`).
import type { Session } from '../contract.js';
import type { TransportFactory } from '../transport.js';

export interface ClientSeams {
  /** Replaces the sign-in at the token service. */
  session?: () => Promise<Session>;
  /** Replaces nats.ws. */
  transport?: TransportFactory;
}

const seams = new WeakMap<object, ClientSeams>();

export const seamsOf = (client: object): ClientSeams => seams.get(client) ?? {};

/** Gives `client` its seams before it starts; returns it. */
export function withSeams<T extends object>(client: T, s: ClientSeams): T {
  seams.set(client, s);
  return client;
}
