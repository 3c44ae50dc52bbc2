// The caller's own camera and microphone (Wilddog's LocalStream). It knows the
// RTCRtpSenders that send it, so switching camera or microphone and sharing the
// screen swap tracks with replaceTrack: no renegotiation, no glitch for the
// peer, and the other direction is never touched.
import { WdVideoError } from '../errors.js';
import { DeviceFollower } from './device-follower.js';
import { toDeviceError } from './device-errors.js';
import { listDevices } from './devices.js';
import { StreamHandle } from './stream-handle.js';

export interface LocalStreamOptions {
  /** Upper bound of the video bitrate, kbit/s, applied with RTCRtpSender.setParameters. */
  maxVideoBitrate?: number;
  /** Lower bound wish, kbit/s. Browsers expose no standard minimum; kept for the Wilddog option shape. */
  minVideoBitrate?: number;
  /** Camera constraints (size, frame rate) kept when the camera changes. */
  video?: MediaTrackConstraints;
  /** Microphone constraints kept when the microphone changes. */
  audio?: MediaTrackConstraints;
  /**
   * Follow the devices (default false; `createLocalStream()` turns it on): when
   * the camera or microphone in use is unplugged, fall back to the system
   * default; when a microphone (a headset) is plugged in while the system
   * default is in use, switch to it. Each move is a `device` event.
   */
  followDevices?: boolean;
}

/** A camera or microphone change, as the `device` event tells it. */
export interface DeviceSwitch {
  kind: 'camera' | 'microphone';
  /** The device now in use; undefined when none is left (the last one was unplugged). */
  deviceId: string | undefined;
  label: string;
  /** The device before. */
  previous: string | undefined;
  /** `chosen` by the app, `lost` (unplugged: now the system default), `plugged` (a new microphone, followed). */
  reason: 'chosen' | 'lost' | 'plugged';
}

export interface LocalStreamEvents {
  /** Screen sharing started or stopped (also by the browser's own "Stop sharing"). */
  sharing: (sharing: boolean) => void;
  /** The camera or microphone in use changed. */
  device: (change: DeviceSwitch) => void;
}

type TrackKind = 'audio' | 'video';
const trackKind = (kind: DeviceSwitch['kind']): TrackKind => (kind === 'camera' ? 'video' : 'audio');

export class LocalStream extends StreamHandle<LocalStreamEvents> {
  /** Each sender with the kind of track it was made for (its track may be null later). */
  private senders = new Map<RTCRtpSender, string | undefined>();
  private facing: 'user' | 'environment' = 'user';
  private screen: MediaStream | undefined;
  private closed = false;
  /** Device changes one at a time: a switch and an unplug must not interleave their track swaps. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly follower: DeviceFollower | undefined;

  constructor(
    stream: MediaStream,
    readonly options: LocalStreamOptions = {},
  ) {
    super(stream);
    if (options.followDevices) this.follower = new DeviceFollower(this);
  }

  /** The camera in use (its deviceId), if any. */
  get cameraId(): string | undefined {
    return this.stream.getVideoTracks()[0]?.getSettings().deviceId;
  }

  /** The microphone in use (its deviceId), if any. */
  get microphoneId(): string | undefined {
    return this.stream.getAudioTracks()[0]?.getSettings().deviceId;
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

  /**
   * Sends camera `deviceId` instead of the current one (see `listDevices()`);
   * without one, the next camera (or the other facing mode on phones with one
   * camera entry). The new camera opens before the old one stops. On failure
   * (a `device_*` error) the current camera stays.
   */
  async switchCamera(deviceId?: string): Promise<void> {
    if (deviceId !== undefined) checkDeviceId(deviceId, 'switchCamera');
    let pick: MediaTrackConstraints;
    if (deviceId) pick = { deviceId: { exact: deviceId } };
    else {
      const cams = (await listDevices()).cameras;
      const idx = cams.findIndex((c) => c.deviceId === this.cameraId);
      if (cams.length > 1) pick = { deviceId: { exact: cams[(idx + 1) % cams.length]!.deviceId } };
      else {
        this.facing = this.facing === 'user' ? 'environment' : 'user';
        pick = { facingMode: this.facing };
      }
    }
    await this.useDevice('camera', pick, 'chosen');
    this.follower?.pin('camera', true);
  }

  /**
   * Sends microphone `deviceId` instead of the current one, keeping its mute
   * state. `'default'` (Chromium's entry for the system default) means: follow
   * the system default and newly plugged headsets. On failure the current
   * microphone stays.
   */
  async setMicrophone(deviceId: string): Promise<void> {
    checkDeviceId(deviceId, 'setMicrophone');
    await this.useDevice('microphone', { deviceId: { exact: deviceId } }, 'chosen');
    this.follower?.pin('microphone', deviceId !== 'default');
  }

  /**
   * @internal Opens the device `pick` selects (nothing: the system default) and
   * sends it instead of the current one of that kind; says so in `device`.
   */
  useDevice(kind: DeviceSwitch['kind'], pick: MediaTrackConstraints, reason: DeviceSwitch['reason']): Promise<void> {
    const run = this.queue.then(async () => {
      if (this.closed) return;
      const tk = trackKind(kind);
      const old = this.stream.getTracks().find((t) => t.kind === tk);
      const previous = old?.getSettings().deviceId;
      const base = (tk === 'video' ? this.options.video : this.options.audio) ?? {};
      let next: MediaStreamTrack;
      try {
        next = await openTrack(tk, { ...base, ...pick });
      } catch (e) {
        if ((e as Error)?.name !== 'NotReadableError' || !old || old.readyState === 'ended') throw toDeviceError(e, kind);
        // Phones open one camera at a time: free the current one and ask again.
        old.stop();
        try {
          next = await openTrack(tk, { ...base, ...pick });
        } catch (e2) {
          // Still refused (busy elsewhere): bring the previous device back, so the call keeps sending.
          const back = previous ? await openTrack(tk, { ...base, deviceId: { exact: previous } }).catch(() => undefined) : undefined;
          if (back && !this.closed) await this.swap(tk, back);
          else back?.stop();
          throw toDeviceError(e2, kind);
        }
      }
      if (this.closed) return next.stop();
      await this.swap(tk, next);
      this.emit('device', { kind, deviceId: next.getSettings().deviceId, label: next.label, previous, reason });
    });
    this.queue = run.catch(() => {});
    return run;
  }

  /** @internal The app chose the device in use (createLocalStream's cameraId / microphoneId). */
  pinDevice(kind: DeviceSwitch['kind']): void {
    this.follower?.pin(kind, true);
  }

  /** @internal The last device of `kind` is gone: say so (nothing left to send). */
  noDevice(kind: DeviceSwitch['kind']): void {
    const previous = kind === 'camera' ? this.cameraId : this.microphoneId;
    this.emit('device', { kind, deviceId: undefined, label: '', previous, reason: 'lost' });
  }

  /** Swap the camera track everywhere this stream is sent (while sharing, it is sent once sharing stops). */
  async replaceVideoTrack(track: MediaStreamTrack | null): Promise<void> {
    await this.swap('video', track);
  }

  /** Puts `track` in place of this stream's track of `kind`, on every sender of that kind; the old one stops. */
  private async swap(kind: TrackKind, track: MediaStreamTrack | null): Promise<void> {
    const old = this.stream.getTracks().find((t) => t.kind === kind);
    if (track) track.enabled = old?.enabled ?? true; // muted stays muted, camera-off stays off
    if (kind === 'audio' || !this.screen) await this.send(kind, track);
    if (old && old !== track) {
      this.stream.removeTrack(old);
      old.stop();
    }
    if (track) {
      this.stream.addTrack(track);
      this.follower?.watch(track);
    }
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
      await this.send('video', track);
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
    await this.send('video', this.stream.getVideoTracks()[0] ?? null);
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
    this.follower?.stop();
    this.detach();
    for (const t of [...this.stream.getTracks(), ...(this.screen?.getTracks() ?? [])]) t.stop();
    this.screen = undefined;
    this.senders.clear();
  }

  private async send(kind: TrackKind, track: MediaStreamTrack | null) {
    await Promise.all([...this.senders].filter(([, k]) => k === kind).map(([s]) => s.replaceTrack(track)));
  }
}

function checkDeviceId(deviceId: unknown, method: string) {
  if (typeof deviceId !== 'string' || !deviceId) throw new WdVideoError('invalid_argument', `${method}() needs a deviceId from listDevices()`);
}

/** A new track of `kind` (opened while the current one still runs: no gap). */
async function openTrack(kind: TrackKind, constraints: MediaTrackConstraints): Promise<MediaStreamTrack> {
  const s = await navigator.mediaDevices.getUserMedia({ [kind]: constraints });
  return s.getTracks().find((t) => t.kind === kind)!;
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
