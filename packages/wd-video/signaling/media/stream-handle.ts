// What LocalStream and RemoteStream share: showing a MediaStream in media
// elements and turning its audio or video on and off. `Events` lets a subclass
// announce changes a UI must follow (LocalStream's screen sharing).
import { Emitter } from '../emitter.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class StreamHandle<Events extends { [K in keyof Events]: (...args: any[]) => void } = Record<never, never>> extends Emitter<Events> {
  protected elements = new Set<HTMLMediaElement>();

  constructor(readonly stream: MediaStream) {
    super();
  }

  get audioEnabled() {
    return this.stream.getAudioTracks().some((t) => t.enabled);
  }
  get videoEnabled() {
    return this.stream.getVideoTracks().some((t) => t.enabled);
  }

  attach(el: HTMLMediaElement) {
    el.setAttribute('playsinline', '');
    el.autoplay = true;
    // Setting srcObject again, even to the same stream, restarts the element's playback.
    if (el.srcObject !== this.stream) el.srcObject = this.stream;
    this.elements.add(el);
    void el.play().catch(() => {});
  }

  detach(el?: HTMLMediaElement) {
    for (const e of el ? [el] : [...this.elements]) {
      if (e.srcObject === this.stream) e.srcObject = null;
      this.elements.delete(e);
    }
  }

  enableAudio(on: boolean) {
    for (const t of this.stream.getAudioTracks()) t.enabled = on;
  }
  enableVideo(on: boolean) {
    for (const t of this.stream.getVideoTracks()) t.enabled = on;
  }
}
