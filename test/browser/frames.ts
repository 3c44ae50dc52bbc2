// Counting decoded video frames: proof that media really flows, shared by the
// SDK and element tests.

/** Resolves after `video` has presented `frames` new frames; rejects after `ms`. */
export function countFrames(video: HTMLVideoElement, frames: number, ms: number): Promise<void> {
  let n = 0;
  return new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`only ${n} frames in ${ms} ms`)), ms);
    const tick = () => {
      if (++n >= frames) {
        clearTimeout(timer);
        ok();
      } else video.requestVideoFrameCallback(tick);
    };
    video.requestVideoFrameCallback(tick);
  });
}
