import type { ReactiveControllerHost } from 'lit';
import { preferredDevices } from '../internal/preferred-devices.js';
import { SdkEventsController } from '../internal/sdk-events-controller.js';
import { loadSdk, type Conversation, type LocalStream, type LocalStreamEvents, type SdkModule } from '../internal/sdk.js';

/**
 * The call's own camera and microphone, always as a LocalStream so every media
 * operation (mute, camera off, switch camera, screen sharing) is the SDK's:
 * opens them when the page gave none, wraps a page's raw MediaStream, and
 * closes only what it opened itself when the call ends.
 */
export class LocalMediaController {
  /** The stream the call sends, while there is one. */
  stream: LocalStream | undefined;
  muted = false;
  cameraOff = false;
  /** More than one camera to switch between. */
  canSwitch = false;
  /** The browser can share a screen. */
  canShare = false;
  private owned = false;
  // The browser's own "Stop sharing" ends sharing behind the element's back.
  private readonly events: SdkEventsController<LocalStreamEvents>;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly conversation: () => Conversation | undefined,
  ) {
    this.events = new SdkEventsController<LocalStreamEvents>(host, { sharing: () => host.requestUpdate() });
  }

  get sharing(): boolean {
    return !!this.local?.sharing;
  }

  /** What the local preview shows: the shared screen while sharing, else the camera. */
  get preview(): MediaStream | undefined {
    return this.local?.screenStream ?? this.local?.stream;
  }

  /**
   * Uses `given`, or opens the camera and microphone. Once `signal` aborts (hang-up,
   * the call ended while the permission prompt was open) what it opened is closed
   * at once and it throws the abort reason.
   */
  async acquire(given: LocalStream | MediaStream | undefined, audioOnly: boolean, signal: AbortSignal): Promise<LocalStream> {
    const sdk = await loadSdk();
    signal.throwIfAborted();
    const stream = !given
      ? await sdk.createLocalStream({
          captureAudio: true,
          captureVideo: !audioOnly,
          dimension: '480p',
          maxFPS: 30,
          // Chosen earlier on this page (<wd-device-check>, a previous call's menu); the default when gone.
          cameraId: preferredDevices.camera,
          microphoneId: preferredDevices.microphone,
        })
      : given instanceof MediaStream
        ? new sdk.LocalStream(given) // ours to drop, the page's tracks to keep
        : given;
    if (signal.aborted && !given) stream.close();
    signal.throwIfAborted();
    this.release();
    this.stream = stream;
    this.owned = !given;
    this.events.setTarget(stream);
    this.canShare = sdk.LocalStream.canShareScreen;
    this.apply();
    void this.countCameras(sdk);
    return stream;
  }

  /** Ends screen sharing and closes what `acquire` opened. */
  release(): void {
    const s = this.stream;
    this.stream = undefined;
    this.events.setTarget(undefined);
    if (s && this.owned) s.close();
    // The page's stream stays open, but the screen capture was for this call only.
    else void s?.stopScreenShare();
    this.owned = false;
    this.host.requestUpdate();
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    this.apply();
  }

  setCameraOff(off: boolean): void {
    this.cameraOff = off;
    this.apply();
  }

  async switchCamera(): Promise<void> {
    const s = this.local;
    if (!s) throw new Error('no camera to switch: the call has no LocalStream');
    await s.switchCamera();
    this.host.requestUpdate();
  }

  /** Sends the screen instead of the camera until `stopSharing()` or the browser's own stop button. */
  async startSharing(): Promise<void> {
    const s = this.local;
    if (!s) return;
    await s.shareScreen();
    if (s !== this.local) await s.stopScreenShare(); // the call ended while the picker was open
  }

  async stopSharing(): Promise<void> {
    await this.local?.stopScreenShare();
  }

  /** The LocalStream the call sends (ours, or the conversation's when the page handed over a call answered elsewhere). */
  get current(): LocalStream | undefined {
    return this.local;
  }

  private get local(): LocalStream | undefined {
    return this.stream ?? this.conversation()?.localStream;
  }

  private apply() {
    this.local?.enableAudio(!this.muted);
    // The camera track only: while sharing the screen is sent, and the camera comes back as it was left.
    this.local?.enableVideo(!this.cameraOff);
    this.host.requestUpdate();
  }

  private async countCameras(sdk: SdkModule) {
    try {
      this.canSwitch = (await sdk.listDevices()).cameras.length > 1;
      this.host.requestUpdate();
    } catch {
      this.canSwitch = false;
    }
  }
}
