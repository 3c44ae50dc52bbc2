// What LocalStream and RemoteStream share: showing a MediaStream in media
// elements and turning its audio or video on and off.
export class StreamHandle {
  protected elements = new Set<HTMLMediaElement>();

  constructor(readonly stream: MediaStream) {}

  get audioEnabled() {
    return this.stream.getAudioTracks().some((t) => t.enabled);
  }
  get videoEnabled() {
    return this.stream.getVideoTracks().some((t) => t.enabled);
  }

  attach(el: HTMLMediaElement) {
    el.setAttribute('playsinline', '');
    el.autoplay = true;
    el.srcObject = this.stream;
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
