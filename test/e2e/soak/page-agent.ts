// What runs inside each soak page. playwright-core serialises these functions
// into the page (addInitScript / evaluate), so each must be self-contained:
// no imports at run time (types only), no helpers from this module's scope.
import type { Conversation, VideoClient } from 'wd-video';

/** Peer connections the page has made, and the ones not closed. */
export interface PeerConnectionCount {
  created: number;
  /** Not closed: each holds sockets, a DTLS transport and media threads. */
  open: number;
}

/** What a page reports about itself between calls. */
export interface PageProbe {
  pcs: PeerConnectionCount;
  /** Live timers of calls (client.diagnostics.callTimers). */
  callTimers: number;
  illegalTransitions: number;
  /** The client's current conversation, if any: none between calls. */
  conversation: string | null;
  status: string;
  received: number;
  dropped: number;
}

/** The agent's operations, called by the driver through page.evaluate. */
export interface SoakAgent {
  /** Place a call to `to` (ring timeout `timeout` ms, else the client's). */
  dial(to: string, timeout?: number): void;
  /** The caller's side rings at the callee. */
  ringing(): Promise<void>;
  /** Take the call that rang here (the oldest one not yet taken). */
  incoming(): Promise<void>;
  accept(): Promise<void>;
  reject(): void;
  /** Cancel or hang up this side's call. */
  close(): void;
  /** Connected, and `frames` frames of the other side's video presented here. */
  media(frames: number): Promise<void>;
  /** This side's call ended: its close reason, and whether the client still holds a conversation. */
  closed(): Promise<{ reason: string | undefined; clientConversation: string | null }>;
  /** Ends whatever call this side has (recovery after a failed step). */
  reset(): Promise<void>;
  probe(): PageProbe;
}

declare global {
  interface Window {
    soak?: SoakAgent;
    /** The SDK module the page loaded (its classes, for counting instances). */
    soakSdk?: typeof import('wd-video');
    soakPeerConnections?: () => PeerConnectionCount;
  }
}

/**
 * Init script, before any page script: wraps RTCPeerConnection so the page
 * can count the ones the SDK made. Open ones are held until closed (close(),
 * the only way to connectionState 'closed'), then let go: the count itself
 * keeps no closed one alive.
 */
export function countPeerConnections() {
  const Native = window.RTCPeerConnection;
  const open = new Set<RTCPeerConnection>();
  let created = 0;
  class Counted extends Native {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      created++;
      open.add(this);
      this.addEventListener('connectionstatechange', () => this.connectionState === 'closed' && open.delete(this));
    }
    override close() {
      open.delete(this);
      super.close();
    }
  }
  window.RTCPeerConnection = Counted;
  window.soakPeerConnections = () => {
    for (const pc of open) if (pc.connectionState === 'closed') open.delete(pc);
    return { created, open: open.size };
  };
}

/**
 * Loads the SDK the way a page does (the CDN bundle), signs in as `uid`,
 * opens the camera once as one LocalStream that every call sends (as an app,
 * or <wd-call>, does: what a call leaves on it would pile up) and installs
 * window.soak.
 */
export async function installAgent(o: { sdkUrl: string; authUrl: string; uid: string }) {
  const sdk = (await import(o.sdkUrl)) as typeof import('wd-video');
  window.soakSdk = sdk;
  const client: VideoClient = new sdk.VideoClient({ authUrl: o.authUrl, anonymous: { uid: o.uid } });
  await client.start();
  const camera = new sdk.LocalStream(await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240 } }));
  const rang: Conversation[] = [];
  client.on('called', (c) => rang.push(c));
  let conv: Conversation | undefined;

  const until = async (check: () => boolean, ms: number, what: () => string) => {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error(`${o.uid}: timed out after ${ms} ms waiting for ${what()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const current = () => {
    if (!conv) throw new Error(`${o.uid}: no call on this side`);
    return conv;
  };
  const show = () => (conv ? `${conv.direction} ${conv.state}${conv.closeReason ? ` (${conv.closeReason})` : ''}` : 'no call');

  window.soak = {
    dial(to, timeout) {
      conv = client.call(to, camera, timeout ? { timeout } : {});
    },
    ringing: () => until(() => current().state === 'ringing', 10_000, () => `ringing (${show()})`),
    async incoming() {
      await until(() => rang.length > 0, 10_000, () => 'an incoming call');
      conv = rang.shift();
    },
    async accept() {
      await current().accept(camera);
    },
    reject: () => current().reject(),
    close: () => current().close(),
    async media(frames) {
      const c = current();
      await until(() => c.state === 'connected' && !!c.remoteStream, 15_000, () => `connected with remote media (${show()})`);
      const video = document.createElement('video');
      video.muted = true;
      video.playsInline = true;
      video.width = 160;
      video.srcObject = c.remoteStream!.stream;
      document.body.append(video);
      void video.play().catch(() => {});
      let seen = 0;
      const tick = () => {
        if (++seen < frames) video.requestVideoFrameCallback(tick);
      };
      video.requestVideoFrameCallback(tick);
      try {
        await until(() => seen >= frames, 15_000, () => `${frames} remote frames (${seen} so far; ${show()})`);
      } finally {
        video.pause();
        video.srcObject = null;
        video.remove();
      }
    },
    async closed() {
      const c = current();
      await until(() => c.state === 'closed', 15_000, () => `the call to end (${show()})`);
      conv = undefined;
      return { reason: c.closeReason, clientConversation: client.conversation?.state ?? null };
    },
    async reset() {
      for (const c of [conv, ...rang.splice(0), client.conversation]) c?.close();
      conv = undefined;
      await until(() => !client.conversation, 15_000, () => `no conversation (${client.conversation?.state})`);
    },
    probe: () => ({
      pcs: window.soakPeerConnections!(),
      callTimers: client.diagnostics.callTimers,
      illegalTransitions: client.diagnostics.illegalTransitions,
      conversation: client.conversation?.state ?? null,
      status: client.status,
      received: client.counters.received,
      dropped: client.counters.dropped,
    }),
  };
}
