// Counting presented video frames: the proof that media really flows, for the
// SDK and the element tests (browser-only: <video>, requestVideoFrameCallback).
import { until } from '../shared/wait.js';
import { onCleanup } from './cleanup.js';

export interface FrameCounter {
  /** Frames presented since the counter started. */
  count(): number;
  /** Resolves once `n` more frames were presented; rejects after `ms`. */
  more(n?: number, ms?: number): Promise<void>;
  stop(): void;
}

/** Counts the frames `video` presents from now on, until stop(). */
export function frameCounter(video: HTMLVideoElement): FrameCounter {
  let frames = 0;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    frames++;
    video.requestVideoFrameCallback(tick);
  };
  video.requestVideoFrameCallback(tick);
  return {
    count: () => frames,
    async more(n = 3, ms = 10_000) {
      const goal = frames + n;
      await until(() => frames >= goal, ms, () => `${n} more frames (${frames + n - goal} of ${n})`);
    },
    stop: () => void (stopped = true),
  };
}

/** Resolves after `video` has presented `frames` new frames; rejects after `ms`. */
export async function countFrames(video: HTMLVideoElement, frames: number, ms: number): Promise<void> {
  const counter = frameCounter(video);
  try {
    await counter.more(frames, ms);
  } finally {
    counter.stop();
  }
}

/** A muted <video> on the page playing `stream`; removed at the end of the test. */
export function playing(stream: MediaStream): HTMLVideoElement {
  const v = document.createElement('video');
  v.muted = true;
  v.playsInline = true;
  v.width = 160;
  v.srcObject = stream;
  document.body.append(v);
  void v.play().catch(() => {});
  onCleanup(() => {
    v.srcObject = null;
    v.remove();
  });
  return v;
}

/** Counts the frames of `stream`, played in a <video> of its own, until the end of the test. */
export function streamFrames(stream: MediaStream): FrameCounter {
  const counter = frameCounter(playing(stream));
  onCleanup(counter.stop);
  return counter;
}

/** Resolves once `stream` has presented `frames` new frames in a <video>. */
export async function framesArrive(stream: MediaStream, frames = 3, ms = 15_000): Promise<void> {
  await countFrames(playing(stream), frames, ms);
}

/**
 * Which of Chromium's fake cameras `video` shows now, told by its corner
 * squares (they blink, but keep their hue): fake_device_0 has green ones (red
 * near 0), fake_device_2 yellow ones (red about equal to green). The mean red /
 * green ratio of the four corners that are not dark: about 0.1 vs about 1.
 * (fake_device_1 sends 16-bit grey that WebRTC cannot encode: no frames.)
 */
export function cornerHue(video: HTMLVideoElement): number {
  const c = document.createElement('canvas');
  c.width = 32;
  c.height = 24;
  const g = c.getContext('2d', { willReadFrequently: true })!;
  g.drawImage(video, 0, 0, 32, 24);
  const ratios: number[] = [];
  for (const [x, y] of [[0, 0], [31, 0], [0, 23], [31, 23]] as const) {
    const [r, gr] = g.getImageData(x, y, 1, 1).data;
    if (gr! > 30) ratios.push(r! / gr!);
  }
  return ratios.length ? ratios.reduce((a, b) => a + b, 0) / ratios.length : NaN;
}

/** fake_device_0 (green corners) is on screen. */
export const showsGreenCamera = (v: HTMLVideoElement) => v.videoWidth > 0 && cornerHue(v) < 0.35;
/** fake_device_2 (yellow corners) is on screen. */
export const showsYellowCamera = (v: HTMLVideoElement) => v.videoWidth > 0 && cornerHue(v) > 0.7;
