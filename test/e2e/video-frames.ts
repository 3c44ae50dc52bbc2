// Runs in the page (it is serialized: no imports, no closures): waits until a
// <video> presents 10 new frames (requestVideoFrameCallback) and its media
// time advances; returns what it saw. Shared by the playwright and the
// puppeteer drivers.
export interface FramesSeen {
  frames: number;
  /** Seconds of media time between the first and the last frame. */
  advanced: number;
  presented: number;
  width: number;
}

export function tenFrames(v: HTMLVideoElement): Promise<FramesSeen> {
  let frames = 0;
  let first: VideoFrameCallbackMetadata | undefined;
  let last: VideoFrameCallbackMetadata | undefined;
  const startTime = v.currentTime;
  return new Promise<FramesSeen>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`only ${frames} video frames in 15 s`)), 15_000);
    const tick = (_now: number, meta: VideoFrameCallbackMetadata) => {
      first ??= meta;
      last = meta;
      if (++frames >= 10) {
        clearTimeout(timer);
        // The frames' media time where the browser reports it; Firefox gives 0 for
        // every frame of a MediaStream, so there the element's currentTime tells.
        // (currentTime alone can step back once in Chromium when it switches a
        // live stream to the audio clock.)
        const byFrames = last.mediaTime - first.mediaTime;
        const advanced = byFrames > 0 ? byFrames : v.currentTime - startTime;
        ok({ frames, advanced, presented: last.presentedFrames - first.presentedFrames, width: v.videoWidth });
      } else v.requestVideoFrameCallback(tick);
    };
    v.requestVideoFrameCallback(tick);
  });
}
