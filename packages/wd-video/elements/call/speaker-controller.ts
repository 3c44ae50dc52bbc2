import type { ReactiveController } from 'lit';
import { preferredDevices } from '../internal/preferred-devices.js';
import type { RemoteStream } from '../internal/sdk.js';
import type { WdCall } from './call.js';

/**
 * Plays the other side on the chosen speaker: attaches each call's
 * RemoteStream to the remote <video> (so `RemoteStream.setSpeaker()` from the
 * device menu or the page reaches it), and starts on the speaker chosen
 * earlier on the page (`<wd-device-check>`, a previous call's menu).
 */
export class SpeakerController implements ReactiveController {
  private attached: RemoteStream | undefined;

  constructor(private readonly host: WdCall) {
    host.addController(this);
  }

  hostUpdated(): void {
    const remote = this.host.conversation?.remoteStream;
    if (remote === this.attached) return;
    const video = this.host.shadowRoot?.querySelector<HTMLVideoElement>('video[part~="remote-video"]');
    if (!video) return;
    this.attached?.detach(video);
    this.attached = remote;
    if (!remote) return;
    remote.attach(video);
    const speaker = preferredDevices.speaker;
    if (speaker && !remote.speakerId) void remote.setSpeaker(speaker).catch(() => {});
  }
}
