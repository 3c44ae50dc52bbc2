// The speaker test: a short three-note chime played the way a call's sound is
// (a RemoteStream attached to a media element, on the chosen speaker), so a
// speaker that fails here fails with the same device_* error.
import type { SdkModule } from '../internal/sdk.js';

const NOTES = [660, 880, 1320];
const NOTE_S = 0.3;

/** Plays the chime on `sinkId` (undefined/'' = the system default); resolves when it has played. */
export async function playTestTone(sdk: SdkModule, sinkId?: string): Promise<void> {
  const ctx = new AudioContext();
  const out = ctx.createMediaStreamDestination();
  const gain = ctx.createGain();
  gain.gain.value = 0.25;
  gain.connect(out);
  const sound = new sdk.RemoteStream(out.stream);
  const audio = new Audio();
  try {
    sound.attach(audio);
    if (sinkId) await sound.setSpeaker(sinkId);
    await ctx.resume();
    const t0 = ctx.currentTime + 0.05;
    const last = NOTES.map((f, i) => {
      const osc = ctx.createOscillator();
      osc.frequency.value = f;
      osc.connect(gain);
      osc.start(t0 + i * NOTE_S);
      osc.stop(t0 + (i + 1) * NOTE_S - 0.03);
      return osc;
    }).at(-1)!;
    await new Promise<void>((ok) => last.addEventListener('ended', () => ok(), { once: true }));
  } finally {
    sound.detach();
    audio.pause();
    out.stream.getTracks().forEach((t) => t.stop());
    await ctx.close().catch(() => {});
  }
}
