// The other side's media (Wilddog's RemoteStream): enable*() mute or hide it
// locally, setSpeaker() picks the output device where the browser can.
import { WdVideoError } from '../errors.js';
import { toDeviceError, unsupported } from './device-errors.js';
import { deviceWatch, type DeviceChange } from './devices.js';
import { StreamHandle } from './stream-handle.js';

export interface SpeakerSwitch {
  /** The speaker now in use; undefined = the system default. */
  deviceId: string | undefined;
  previous: string | undefined;
  /** `chosen` by the app, or `lost`: unplugged, back to the system default. */
  reason: 'chosen' | 'lost';
}

export interface RemoteStreamEvents {
  /** The speaker changed. */
  speaker: (change: SpeakerSwitch) => void;
}

type SinkElement = HTMLMediaElement & { setSinkId(id: string): Promise<void> };

export class RemoteStream extends StreamHandle<RemoteStreamEvents> {
  private sink = '';
  private readonly onChange = (c: DeviceChange) => {
    // The call is over: nothing to follow any more.
    if (this.stream.getTracks().every((t) => t.readyState === 'ended')) return void deviceWatch.off('devicechange', this.onChange);
    if (this.sink && !c.devices.speakers.some((d) => d.deviceId === this.sink)) void this.applySink('', 'lost');
  };

  /** Whether this browser can choose the speaker (HTMLMediaElement.setSinkId). */
  static get canSetSpeaker(): boolean {
    return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
  }

  /** The speaker chosen with setSpeaker(); undefined = the system default. */
  get speakerId(): string | undefined {
    return this.sink || undefined;
  }

  /**
   * Plays the other side on speaker `deviceId` (see `listDevices()`; `''` = the
   * system default), in every element it is attached to now or later. When
   * that speaker is unplugged, it goes back to the system default (`speaker`
   * event). Throws `device_unsupported` where the browser cannot choose.
   */
  async setSpeaker(deviceId: string): Promise<void> {
    if (typeof deviceId !== 'string') throw new WdVideoError('invalid_argument', 'setSpeaker() needs a deviceId from listDevices(), or "" for the default');
    if (!RemoteStream.canSetSpeaker) throw unsupported('choose the speaker');
    await this.applySink(deviceId, 'chosen');
  }

  override attach(el: HTMLMediaElement): void {
    super.attach(el);
    if (this.sink) void (el as SinkElement).setSinkId(this.sink).catch(() => {});
  }

  private async applySink(deviceId: string, reason: SpeakerSwitch['reason']) {
    const previous = this.speakerId;
    try {
      await Promise.all([...this.elements].map((el) => (el as SinkElement).setSinkId(deviceId)));
    } catch (e) {
      throw toDeviceError(e, 'speaker');
    }
    this.sink = deviceId;
    if (deviceId) deviceWatch.on('devicechange', this.onChange);
    else deviceWatch.off('devicechange', this.onChange);
    if (previous !== this.speakerId || reason === 'lost') this.emit('speaker', { deviceId: this.speakerId, previous, reason });
  }
}
