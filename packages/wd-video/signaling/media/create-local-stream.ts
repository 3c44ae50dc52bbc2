// Wilddog's createLocalStream: camera and microphone with a named dimension,
// a frame-rate cap and bitrate bounds.
import { WdVideoError } from '../errors.js';
import { LocalStream } from './local-stream.js';

export const DIMENSIONS = {
  '120p': [160, 120],
  '240p': [320, 240],
  '360p': [640, 360],
  '480p': [640, 480],
  '720p': [1280, 720],
  '1080p': [1920, 1080],
} as const;
export type Dimension = keyof typeof DIMENSIONS;

export interface CreateLocalStreamOptions {
  captureAudio?: boolean;
  captureVideo?: boolean;
  dimension?: Dimension;
  maxFPS?: number;
  /** kbit/s */
  maxVideoBitrate?: number;
  /** kbit/s */
  minVideoBitrate?: number;
}

export async function createLocalStream(o: CreateLocalStreamOptions = {}): Promise<LocalStream> {
  const audio = o.captureAudio ?? true;
  const wantVideo = o.captureVideo ?? true;
  if (!audio && !wantVideo) throw new WdVideoError('invalid_argument', 'captureAudio and captureVideo cannot both be false');
  if (o.dimension !== undefined && !(o.dimension in DIMENSIONS)) {
    throw new WdVideoError('invalid_argument', `dimension must be one of ${Object.keys(DIMENSIONS).join(', ')}`);
  }
  const [width, height] = DIMENSIONS[o.dimension ?? '480p'];
  const video: MediaTrackConstraints = { width: { ideal: width }, height: { ideal: height } };
  if (o.maxFPS) video.frameRate = { ideal: o.maxFPS, max: o.maxFPS };
  if (!globalThis.navigator?.mediaDevices?.getUserMedia) {
    throw new WdVideoError('device_unavailable', 'this browser cannot capture media (needs https or localhost)');
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio, video: wantVideo ? video : false });
    return new LocalStream(stream, { maxVideoBitrate: o.maxVideoBitrate, minVideoBitrate: o.minVideoBitrate, video });
  } catch (e) {
    const name = (e as Error)?.name;
    const why = name === 'NotAllowedError' ? 'permission denied' : name === 'NotFoundError' ? 'no such device' : (e as Error)?.message;
    throw new WdVideoError('device_unavailable', `camera/microphone not available: ${why}`, { cause: e });
  }
}
