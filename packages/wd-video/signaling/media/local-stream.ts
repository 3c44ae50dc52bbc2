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

export class LocalStream extends StreamHandle {
  private senders = new Set<RTCRtpSender>();
  private facing: 'user' | 'environment' = 'user';

  constructor(
    stream: MediaStream,
    readonly options: LocalStreamOptions = {},
  ) {
    super(stream);
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

  /** Swap the video track everywhere this stream is sent (screen share, camera switch). */
  async replaceVideoTrack(track: MediaStreamTrack | null): Promise<void> {
    const old = this.stream.getVideoTracks()[0];
    const enabled = old?.enabled ?? true;
    if (track) track.enabled = enabled;
    await Promise.all([...this.senders].filter((s) => s.track === old || s.track?.kind === 'video' || (!s.track && track)).map((s) => s.replaceTrack(track)));
    if (old && old !== track) {
      this.stream.removeTrack(old);
      old.stop();
    }
    if (track) this.stream.addTrack(track);
  }

  /** @internal Conversations register the senders that carry this stream. */
  addSender(sender: RTCRtpSender) {
    this.senders.add(sender);
    if (sender.track?.kind === 'video' && this.options.maxVideoBitrate) void applyMaxBitrate(sender, this.options.maxVideoBitrate);
  }
  /** @internal */
  removeSender(sender: RTCRtpSender) {
    this.senders.delete(sender);
  }

  close() {
    this.detach();
    for (const t of this.stream.getTracks()) t.stop();
    this.senders.clear();
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
