// The caller's own camera and microphone (Wilddog's LocalStream). It knows the
// RTCRtpSenders that send it, so switching camera or sharing the screen swaps
// tracks with replaceTrack: no renegotiation, no glitch for the peer.
import { StreamHandle } from './stream-handle.js';

export interface LocalStreamOptions {
  /** Upper bound of the video bitrate, kbit/s, applied with RTCRtpSender.setParameters. */
  maxVideoBitrate?: number;
  /** Lower bound wish, kbit/s. Browsers expose no standard minimum; kept for the Wilddog option shape. */
  minVideoBitrate?: number;
  video?: MediaTrackConstraints;
}

export interface LocalStreamEvents {
  /** Screen sharing started or stopped (also by the browser's own "Stop sharing"). */
  sharing: (sharing: boolean) => void;
}

export class LocalStream extends StreamHandle<LocalStreamEvents> {
  /** Each sender with the kind of track it was made for (its track may be null later). */
  private senders = new Map<RTCRtpSender, string | undefined>();
  private facing: 'user' | 'environment' = 'user';
  private screen: MediaStream | undefined;
  private closed = false;

  constructor(
    stream: MediaStream,
    readonly options: LocalStreamOptions = {},
  ) {
    super(stream);
  }

  /** Whether this browser can share a screen (getDisplayMedia needs a secure context). */
  static get canShareScreen(): boolean {
    return !!globalThis.navigator?.mediaDevices?.getDisplayMedia;
  }

  /** Sending the screen instead of the camera. */
  get sharing(): boolean {
    return !!this.screen;
  }

  /** The screen being shared (its video track), for a preview; `stream` keeps the camera. */
  get screenStream(): MediaStream | undefined {
    return this.screen;
  }

  /** Show the preview in a media element (muted: hearing yourself echoes). */
  override attach(el: HTMLMediaElement) {
    el.muted = true;
    super.attach(el);
  }

  /** Use the next camera (or the other facing mode on phones). */
  async switchCamera(): Promise<void> {
    const cams = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
    const current = this.stream.getVideoTracks()[0]?.getSettings().deviceId;
    const idx = cams.findIndex((c) => c.deviceId === current);
    const base = this.options.video ?? {};
    let constraints: MediaTrackConstraints;
    if (cams.length > 1) {
      constraints = { ...base, deviceId: { exact: cams[(idx + 1) % cams.length].deviceId } };
    } else {
      this.facing = this.facing === 'user' ? 'environment' : 'user';
      constraints = { ...base, facingMode: this.facing };
    }
    const next = (await navigator.mediaDevices.getUserMedia({ video: constraints })).getVideoTracks()[0];
    await this.replaceVideoTrack(next);
  }

  /** Swap the camera track everywhere this stream is sent (while sharing, it is sent once sharing stops). */
  async replaceVideoTrack(track: MediaStreamTrack | null): Promise<void> {
    const old = this.stream.getVideoTracks()[0];
    if (track) track.enabled = old?.enabled ?? true;
    if (!this.screen) await this.send(track);
    if (old && old !== track) {
      this.stream.removeTrack(old);
      old.stop();
    }
    if (track) this.stream.addTrack(track);
  }

  /**
   * Sends the screen instead of the camera (the browser asks which one). The
   * camera keeps running, so stopScreenShare() is instant and asks nothing.
   */
  async shareScreen(): Promise<void> {
    if (this.screen) return;
    const display = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    const track = display.getVideoTracks()[0];
    // Closed, or another shareScreen() won, while the browser's picker was open.
    if (!track || this.closed || this.screen) {
      display.getTracks().forEach((t) => t.stop());
      return;
    }
    this.screen = new MediaStream([track]);
    // The browser's own "Stop sharing" ends the track: go back to the camera.
    track.addEventListener('ended', () => {
      if (this.screen?.getVideoTracks()[0] === track) void this.stopScreenShare();
    });
    try {
      await this.send(track);
    } catch (e) {
      this.screen = undefined;
      track.stop();
      throw e;
    }
    this.emit('sharing', true);
  }

  /** Sends the camera again and stops capturing the screen. */
  async stopScreenShare(): Promise<void> {
    const screen = this.screen;
    if (!screen) return;
    this.screen = undefined;
    await this.send(this.stream.getVideoTracks()[0] ?? null);
    screen.getTracks().forEach((t) => t.stop());
    this.emit('sharing', false);
  }

  /** @internal Conversations register the senders that carry this stream. */
  addSender(sender: RTCRtpSender) {
    const kind = sender.track?.kind;
    this.senders.set(sender, kind);
    if (kind !== 'video') return;
    if (this.screen) void sender.replaceTrack(this.screen.getVideoTracks()[0]!); // shared before the call's peer existed
    if (this.options.maxVideoBitrate) void applyMaxBitrate(sender, this.options.maxVideoBitrate);
  }
  /** @internal */
  removeSender(sender: RTCRtpSender) {
    this.senders.delete(sender);
  }

  close() {
    this.closed = true;
    this.detach();
    for (const t of [...this.stream.getTracks(), ...(this.screen?.getTracks() ?? [])]) t.stop();
    this.screen = undefined;
    this.senders.clear();
  }

  private async send(track: MediaStreamTrack | null) {
    await Promise.all([...this.senders].filter(([, kind]) => kind === 'video').map(([s]) => s.replaceTrack(track)));
  }
}

async function applyMaxBitrate(sender: RTCRtpSender, kbps: number) {
  const p = sender.getParameters();
  if (!p.encodings?.length) p.encodings = [{}];
  p.encodings[0].maxBitrate = kbps * 1000;
  try {
    await sender.setParameters(p);
  } catch {
    // Before negotiation some browsers refuse; the call still works at the default rate.
  }
}

/** A raw MediaStream works wherever a LocalStream does. */
export const toLocalStream = (s: LocalStream | MediaStream): LocalStream => (s instanceof LocalStream ? s : new LocalStream(s));
