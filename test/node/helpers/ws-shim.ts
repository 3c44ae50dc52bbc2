// nats.ws expects a browser WebSocket; Node 20 has none, so `ws` stands in.
// Imported for its side effect, before nats.ws is imported anywhere.
import WebSocket from 'ws';

(globalThis as unknown as { WebSocket: unknown }).WebSocket = WebSocket;
