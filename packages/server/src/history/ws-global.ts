// nats.ws speaks through the browser's WebSocket; Node 20 has none (Node 22
// does), so the `ws` package stands in. The service connects to the same
// WebSocket port as the browsers (a token service host needs no other route to NATS).
import WebSocket from 'ws';

const g = globalThis as unknown as { WebSocket?: unknown };
g.WebSocket ??= WebSocket;
