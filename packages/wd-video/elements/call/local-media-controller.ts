import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { loadSdk, type Conversation, type LocalStream } from '../internal/sdk.js';

type AnyStream = LocalStream | MediaStream;

const isLocalStream = (s: unknown): s is LocalStream =>
  !!s && typeof (s as LocalStream).replaceVideoTrack === 'function' && (s as LocalStream).stream instanceof MediaStream;

/**
 * The call's own camera and microphone: acquires them when the page gave none,
 * mutes, turns the camera off, switches camera, shares the screen (the video
 * track is swapped in the RTCRtpSender: no renegotiation), and releases what it
 * acquired when the call ends. The page's own stream is never closed here.
 */
export class LocalMediaController implements ReactiveController {
  /** The stream the call sends, while there is one. */
  stream: AnyStream | undefined;
  muted = false;
  cameraOff = false;
  sharing = false;
  /** More than one camera to switch between. */
  canSwitch = false;
  private owned = false;
  private screenTrack: MediaStreamTrack | undefined;
  private screenPreview: MediaStream | undefined;
  private cameraTrack: MediaStreamTrack | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly conversation: () => Conversation | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** What the local preview shows: the shared screen while sharing, else the camera. */
  get preview(): MediaStream | undefined {
    if (this.screenPreview) return this.screenPreview;
    return this.stream instanceof MediaStream ? this.stream : this.stream?.stream;
  }

  /** Uses `given`, or opens the camera and microphone. */
  async acquire(given: AnyStream | undefined, audioOnly: boolean): Promise<AnyStream> {
    if (this.stream) return this.stream;
    if (given) {
      this.stream = given;
      this.owned = false;
    } else {
      const sdk = await loadSdk();
      const s = await sdk.createLocalStream({ captureAudio: true, captureVideo: !audioOnly, dimension: '480p', maxFPS: 30 });
      if (this.stream) {
        s.close(); // a page-given stream arrived meanwhile
        return this.stream;
      }
      this.stream = s;
      this.owned = true;
    }
    this.apply();
    void this.countCameras();
    this.host.requestUpdate();
    return this.stream;
  }

  /** Ends screen sharing and closes what `acquire` opened. */
  release(): void {
    this.stopScreenTrack();
    const s = this.stream;
    this.stream = undefined;
    this.sharing = false;
    this.cameraTrack = undefined;
    if (s && this.owned) {
      if (s instanceof MediaStream) s.getTracks().forEach((t) => t.stop());
      else s.close();
    }
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
    if (this.sharing || !this.stream) return;
    const display = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    const track = display.getVideoTracks()[0];
    if (!track) return;
    if (!this.stream) {
      track.stop(); // the call ended while the picker was open
      return;
    }
    this.cameraTrack = this.videoTrack();
    this.screenTrack = track;
    this.screenPreview = new MediaStream([track]);
    track.addEventListener('ended', () => void this.stopSharing());
    await this.replaceVideo(track);
    track.enabled = true; // replaceVideoTrack copies the camera's enabled flag; the screen shows even with the camera off
    this.sharing = true;
    this.host.requestUpdate();
  }

  async stopSharing(): Promise<void> {
    if (!this.sharing) return;
    this.sharing = false;
    this.stopScreenTrack();
    let camera = this.cameraTrack;
    if (camera?.readyState !== 'live' && this.stream) {
      // LocalStream.replaceVideoTrack stops the track it replaces: open the camera again.
      const fresh = await navigator.mediaDevices.getUserMedia({ video: this.local?.options.video ?? true });
      camera = fresh.getVideoTracks()[0];
    }
    if (camera) {
      await this.replaceVideo(camera);
      camera.enabled = !this.cameraOff;
    }
    this.cameraTrack = undefined;
    this.host.requestUpdate();
  }

  private get local(): LocalStream | undefined {
    if (isLocalStream(this.stream)) return this.stream;
    const c = this.conversation()?.localStream;
    return isLocalStream(c) ? c : undefined;
  }

  private videoTrack(): MediaStreamTrack | undefined {
    const s = this.stream instanceof MediaStream ? this.stream : this.stream?.stream;
    return s?.getVideoTracks()[0];
  }

  private async replaceVideo(track: MediaStreamTrack) {
    const local = this.local;
    if (local) return local.replaceVideoTrack(track);
    for (const sender of this.conversation()?.peerConnection?.getSenders() ?? []) {
      if (sender.track?.kind === 'video') await sender.replaceTrack(track);
    }
  }

  private stopScreenTrack() {
    this.screenTrack?.stop();
    this.screenTrack = undefined;
    this.screenPreview = undefined;
  }

  private apply() {
    const local = this.local;
    if (local) {
      local.enableAudio(!this.muted);
      if (!this.sharing) local.enableVideo(!this.cameraOff);
    } else if (this.stream instanceof MediaStream) {
      this.stream.getAudioTracks().forEach((t) => (t.enabled = !this.muted));
      if (!this.sharing) this.stream.getVideoTracks().forEach((t) => (t.enabled = !this.cameraOff));
    }
    this.host.requestUpdate();
  }

  private async countCameras() {
    try {
      const devices = await navigator.mediaDevices.enumerateDevices();
      this.canSwitch = devices.filter((d) => d.kind === 'videoinput').length > 1;
      this.host.requestUpdate();
    } catch {
      this.canSwitch = false;
    }
  }
}
