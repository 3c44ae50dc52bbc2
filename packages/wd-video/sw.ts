// Entry of dist/wd-video-sw.js, the ready-made service worker for call pushes
// (register it with videoInstance.enablePush({serviceWorker: '/dist/wd-video-sw.js'})).
// An app with its own worker imports installPushHandlers from 'wd-video/push-worker' instead.
import { installPushHandlers, type PushWorkerScope } from './signaling/push-worker.js';

installPushHandlers(self as unknown as PushWorkerScope);
// A new version takes over at once: an old worker must not keep showing calls the new page cannot answer.
self.addEventListener('install', () => void (self as unknown as { skipWaiting(): Promise<void> }).skipWaiting());
self.addEventListener('activate', (e) => (e as Event & { waitUntil(p: Promise<unknown>): void }).waitUntil((self as unknown as { clients: { claim(): Promise<void> } }).clients.claim()));
