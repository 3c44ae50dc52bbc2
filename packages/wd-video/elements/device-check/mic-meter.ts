// A live microphone level: an AnalyserNode on the track, sampled ten times a
// second (a timer, not animation frames, so it keeps going in a background tab).

/** Level 0..1 on a -60..0 dBFS scale: speech sits around the middle. */
export function levelOf(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  const rms = Math.sqrt(sum / samples.length);
  const db = 20 * Math.log10(rms || 1e-9);
  return Math.min(1, Math.max(0, (db + 60) / 60));
}

export class MicMeter {
  private readonly ctx = new AudioContext();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(track: MediaStreamTrack, onLevel: (level: number) => void) {
    const analyser = this.ctx.createAnalyser();
    analyser.fftSize = 1024;
    this.ctx.createMediaStreamSource(new MediaStream([track])).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    this.timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      onLevel(levelOf(samples));
    }, 100);
    // Started without a click, a page's audio may stay suspended: the next click on the panel resumes it.
    void this.ctx.resume().catch(() => {});
  }

  /** After a user gesture (the browser may have kept the audio suspended until one). */
  resume(): void {
    void this.ctx.resume().catch(() => {});
  }

  stop(): void {
    clearInterval(this.timer);
    void this.ctx.close().catch(() => {});
  }
}
