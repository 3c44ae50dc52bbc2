// The other side's media (Wilddog's RemoteStream): attach it to a <video>,
// mute its audio or hide its video locally.
export class RemoteStream {
  private elements = new Set<HTMLMediaElement>();

  constructor(readonly stream: MediaStream) {}

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
