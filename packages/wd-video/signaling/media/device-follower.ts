// Keeps a LocalStream on working devices: the camera or microphone in use is
// unplugged -> the system default; a microphone (a headset) is plugged in while
// the system default is in use -> that microphone. A device the app chose
// (pinned) is never left for a new one, only for the default when it is gone.
import type { DeviceSwitch, LocalStream } from './local-stream.js';
import { deviceWatch, type Device, type DeviceChange } from './devices.js';

type Kind = DeviceSwitch['kind'];

/** Chromium's pseudo-entries for "whatever the system uses": never a new headset. */
const PSEUDO = new Set(['default', 'communications']);

export class DeviceFollower {
  private readonly pinned: Record<Kind, boolean> = { camera: false, microphone: false };
  private readonly onChange = (c: DeviceChange) => this.changed(c);
  private stopped = false;
  /** A fallback under way: the track's `ended` and the device list may both report one loss. */
  private readonly fallingBack: Record<Kind, boolean> = { camera: false, microphone: false };

  constructor(private readonly local: LocalStream) {
    deviceWatch.on('devicechange', this.onChange);
    for (const t of local.stream.getTracks()) this.watch(t);
  }

  /** The app chose this device (true) or the system default (false). */
  pin(kind: Kind, pinned: boolean): void {
    this.pinned[kind] = pinned;
  }

  /** A track the stream now sends: when the browser ends it (device unplugged), fall back. */
  watch(track: MediaStreamTrack): void {
    // stop() fires no `ended`: only the browser losing the device does.
    track.addEventListener(
      'ended',
      () => {
        if (!this.stopped && this.local.stream.getTracks().includes(track)) void this.fallBack(track.kind === 'video' ? 'camera' : 'microphone', true);
      },
      { once: true },
    );
  }

  stop(): void {
    this.stopped = true;
    deviceWatch.off('devicechange', this.onChange);
  }

  private changed({ devices, added }: DeviceChange) {
    if (this.stopped) return;
    const inUse = { camera: this.local.cameraId, microphone: this.local.microphoneId };
    const present = { camera: devices.cameras, microphone: devices.microphones };
    for (const kind of ['camera', 'microphone'] as const) {
      const id = inUse[kind];
      if (id && !present[kind].some((d) => d.deviceId === id)) void this.fallBack(kind, present[kind].length > 0);
    }
    const headset = added.find((d: Device) => d.kind === 'microphone' && !PSEUDO.has(d.deviceId));
    if (headset && !this.pinned.microphone && headset.deviceId !== inUse.microphone) {
      void this.local.useDevice('microphone', { deviceId: { exact: headset.deviceId } }, 'plugged').catch(() => {
        // A headset that cannot be opened: stay on the microphone that works.
      });
    }
  }

  private async fallBack(kind: Kind, anyLeft: boolean) {
    if (this.fallingBack[kind]) return;
    this.pinned[kind] = false;
    if (!anyLeft) return this.local.noDevice(kind);
    this.fallingBack[kind] = true;
    try {
      await this.local.useDevice(kind, {}, 'lost');
    } catch {
      this.local.noDevice(kind);
    } finally {
      this.fallingBack[kind] = false;
    }
  }
}
