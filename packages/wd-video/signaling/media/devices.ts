// The cameras, microphones and speakers the browser offers, and their changes
// (plugged in, unplugged). Labels are empty until the page has been granted
// camera or microphone access once: that is the browser's privacy rule.
import { Emitter } from '../emitter.js';
import { unsupported } from './device-errors.js';

export type DeviceKind = 'camera' | 'microphone' | 'speaker';

export interface Device {
  kind: DeviceKind;
  /** Pass it to `switchCamera()`, `setMicrophone()`, `setSpeaker()` or `createLocalStream()`. */
  deviceId: string;
  /** Devices of one physical unit (a headset's microphone and speaker) share it. */
  groupId: string;
  /** Empty until the page may use the camera or microphone. */
  label: string;
}

export interface DeviceList {
  cameras: Device[];
  microphones: Device[];
  speakers: Device[];
  /** Whether the browser gave labels (it does once camera or microphone access was granted). */
  labelled: boolean;
}

export interface DeviceChange {
  devices: DeviceList;
  /** Devices that were not there before (a headset plugged in). */
  added: Device[];
  /** Devices that are gone (unplugged). */
  removed: Device[];
}

export interface DeviceEvents {
  /** A device was plugged in or unplugged (the browser's `devicechange`, with what changed). */
  devicechange: (change: DeviceChange) => void;
}

const kinds: Record<string, DeviceKind> = { videoinput: 'camera', audioinput: 'microphone', audiooutput: 'speaker' };

/** The cameras, microphones and speakers, in the browser's order (its default first). */
export async function listDevices(): Promise<DeviceList> {
  const md = globalThis.navigator?.mediaDevices;
  if (!md?.enumerateDevices) throw unsupported('list media devices');
  const list: DeviceList = { cameras: [], microphones: [], speakers: [], labelled: false };
  for (const d of await md.enumerateDevices()) {
    const kind = kinds[d.kind];
    // Before permission Chromium lists one entry per kind with an empty id: nothing to choose.
    if (!kind || !d.deviceId) continue;
    const device: Device = { kind, deviceId: d.deviceId, groupId: d.groupId, label: d.label };
    list[kind === 'camera' ? 'cameras' : kind === 'microphone' ? 'microphones' : 'speakers'].push(device);
    if (d.label) list.labelled = true;
  }
  return list;
}

/** All devices of a list, as one array. */
export const allDevices = (l: DeviceList): Device[] => [...l.cameras, ...l.microphones, ...l.speakers];

const key = (d: Device) => `${d.kind}:${d.deviceId}`;

/**
 * Listens to the browser's `devicechange` while anyone listens here, and tells
 * what was added and removed since the last list.
 */
class DeviceWatch extends Emitter<DeviceEvents> {
  private last: Promise<DeviceList> | undefined;
  private readonly onChange = () => void this.refresh();

  override on<K extends keyof DeviceEvents>(event: K, listener: DeviceEvents[K]): this {
    super.on(event, listener);
    const md = globalThis.navigator?.mediaDevices;
    if (!this.last && md) {
      // The list before any change, to tell what a change added or removed.
      this.last = listDevices().catch(() => ({ cameras: [], microphones: [], speakers: [], labelled: false }));
      md.addEventListener('devicechange', this.onChange);
    }
    return this;
  }

  override off<K extends keyof DeviceEvents>(event: K, listener?: DeviceEvents[K]): this {
    super.off(event, listener);
    if (this.listenerCount('devicechange') === 0 && this.last) {
      this.last = undefined;
      globalThis.navigator?.mediaDevices?.removeEventListener('devicechange', this.onChange);
    }
    return this;
  }

  private async refresh() {
    const previous = this.last;
    if (!previous) return;
    const next = listDevices();
    // Changes come in bursts (a headset is a microphone and a speaker): each diff starts from the one before.
    this.last = next.catch(() => previous);
    let devices: DeviceList;
    let before: DeviceList;
    try {
      [before, devices] = await Promise.all([previous, next]);
    } catch {
      return;
    }
    if (this.last === undefined) return; // nobody listens any more
    const had = new Set(allDevices(before).map(key));
    const has = new Set(allDevices(devices).map(key));
    this.emit('devicechange', {
      devices,
      added: allDevices(devices).filter((d) => !had.has(key(d))),
      removed: allDevices(before).filter((d) => !has.has(key(d))),
    });
  }
}

/** The one watcher of the page's devices (`wdVideo.on('devicechange', …)`). */
export const deviceWatch = new DeviceWatch();
