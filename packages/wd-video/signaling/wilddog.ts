// The Wilddog Video Web surface, so apps written for it port by changing the
// script and initialize()'s arguments (README, "Porting from Wilddog"):
//
//   wdVideo.initialize({ authUrl, token });    // configures the module object itself, and returns an instance
//   const videoInstance = wdVideo.call();       // as wilddogVideo.call() did
//   wdVideo.createLocalStream({...}).then(...)
//
// One client per initialize(): a second initialize() with other settings signs
// the first client out; the same settings again return the same instance.
import { checkNetwork } from './checks/index.js';
import { VideoClient, type VideoClientOptions } from './client.js';
import { WdVideoError } from './errors.js';
import { createLocalStream, type CreateLocalStreamOptions } from './media/create-local-stream.js';
import { deviceWatch, listDevices, type DeviceEvents, type DeviceList } from './media/devices.js';
import type { LocalStream } from './media/local-stream.js';

export class WdVideo {
  private client: VideoClient | undefined;

  constructor(readonly options: VideoClientOptions) {}

  /** The call client ("videoInstance"). It connects itself; the same instance on every call. */
  call(): VideoClient {
    if (!this.client) {
      this.client = new VideoClient(this.options);
      // Connection failures surface as the client's `error` / `token_error` events.
      void this.client.start().catch(() => {});
    }
    return this.client;
  }

  createLocalStream(options?: CreateLocalStreamOptions): Promise<LocalStream> {
    return createLocalStream(options);
  }

  /** Cameras, microphones and speakers (labels once camera or microphone access was granted). */
  devices(): Promise<DeviceList> {
    return listDevices();
  }

  /** Replace the sign-in token (e.g. after `token_error`). */
  setToken(token: string): Promise<void> {
    return this.call().setToken(token);
  }

  /** Sign out: hang up, disconnect, forget page listeners. */
  async close(): Promise<void> {
    await this.client?.close();
  }
}

let current: WdVideo | undefined;

const sameSettings = (a: VideoClientOptions, b: VideoClientOptions) => JSON.stringify(a) === JSON.stringify(b);

function initialized(what: string): WdVideo {
  if (!current) throw new WdVideoError('invalid_state', `call wdVideo.initialize({authUrl, token}) before wdVideo.${what}()`);
  return current;
}

export const wdVideo = {
  /** initialize({ authUrl, token }) or, in development, initialize({ authUrl, anonymous: { uid } }). */
  initialize(options: VideoClientOptions): WdVideo {
    if (!options || typeof options !== 'object') throw new WdVideoError('invalid_argument', 'initialize() needs {authUrl, token}');
    if (current && sameSettings(current.options, options)) return current;
    const next = new WdVideo({ ...options });
    const previous = current;
    current = next;
    // Another identity (or other settings): the first client signs out cleanly, hanging up its call.
    void previous?.close().catch(() => {});
    return next;
  },
  /** The call client of the last initialize() ("videoInstance"). */
  call(): VideoClient {
    return initialized('call').call();
  },
  createLocalStream,
  /** Cameras, microphones and speakers (labels once camera or microphone access was granted). Needs no initialize(). */
  devices: listDevices,
  /** `on('devicechange', ({devices, added, removed}) => …)`: a device was plugged in or unplugged. */
  on<K extends keyof DeviceEvents>(event: K, listener: DeviceEvents[K]): void {
    deviceWatch.on(event, listener);
  },
  off<K extends keyof DeviceEvents>(event: K, listener?: DeviceEvents[K]): void {
    deviceWatch.off(event, listener);
  },
  /** The network part of a pre-call check (sign-in, signaling and TURN relay round trips); loads on first use. */
  checkNetwork,
  /** Replace the sign-in token of the last initialize(). */
  setToken(token: string): Promise<void> {
    return initialized('setToken').setToken(token);
  },
};
