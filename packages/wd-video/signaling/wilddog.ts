// The Wilddog Video Web surface, so apps written for it port by changing the
// import:  const video = wdVideo.initialize({authUrl, token}); video.call() ...
import { VideoClient, type VideoClientOptions } from './client.js';
import { WdVideoError } from './errors.js';
import { createLocalStream, type CreateLocalStreamOptions } from './media/create-local-stream.js';
import type { LocalStream } from './media/local-stream.js';

export class WdVideo {
  private client: VideoClient | undefined;

  constructor(private readonly options: VideoClientOptions) {}

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

  /** Replace the sign-in token (e.g. after `token_error`). */
  setToken(token: string): Promise<void> {
    return this.call().setToken(token);
  }
}

export const wdVideo = {
  /** initialize({ authUrl, token }) or, in development, initialize({ authUrl, anonymous: { uid } }). */
  initialize(options: VideoClientOptions): WdVideo {
    if (!options || typeof options !== 'object') throw new WdVideoError('invalid_argument', 'initialize() needs {authUrl, token}');
    return new WdVideo(options);
  },
  createLocalStream,
};
