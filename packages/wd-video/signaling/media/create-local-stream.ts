// Wilddog's createLocalStream: camera and microphone with a named dimension,
// a frame-rate cap and bitrate bounds; beyond Wilddog, which devices, and
// following them when they are plugged in or out.
import { WdVideoError } from '../errors.js';
import { toDeviceError, unsupported } from './device-errors.js';
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
  /** The camera to prefer (a deviceId from `listDevices()`); when it is gone, the default is used. */
  cameraId?: string;
  /** The microphone to prefer; when it is gone, the default is used. */
  microphoneId?: string;
  /** Fall back when a device is unplugged, follow a plugged-in headset (default true): see `LocalStreamOptions.followDevices`. */
  followDevices?: boolean;
}

export async function createLocalStream(o: CreateLocalStreamOptions = {}): Promise<LocalStream> {
  const audio = o.captureAudio ?? true;
  const wantVideo = o.captureVideo ?? true;
  if (!audio && !wantVideo) throw new WdVideoError('invalid_argument', 'captureAudio and captureVideo cannot both be false');
  if (o.dimension !== undefined && !(o.dimension in DIMENSIONS)) {
    throw new WdVideoError('invalid_argument', `dimension must be one of ${Object.keys(DIMENSIONS).join(', ')}`);
  }
  for (const k of ['cameraId', 'microphoneId'] as const) {
    if (o[k] !== undefined && (typeof o[k] !== 'string' || !o[k])) throw new WdVideoError('invalid_argument', `${k} must be a deviceId from listDevices()`);
  }
  const [width, height] = DIMENSIONS[o.dimension ?? '480p'];
  const video: MediaTrackConstraints = { width: { ideal: width }, height: { ideal: height } };
  if (o.maxFPS) video.frameRate = { ideal: o.maxFPS, max: o.maxFPS };
  const audioConstraints: MediaTrackConstraints = {};
  if (!globalThis.navigator?.mediaDevices?.getUserMedia) throw unsupported('capture media');
  const what = audio && wantVideo ? 'camera and microphone' : audio ? 'microphone' : 'camera';
  const ask = (withPreferred: boolean) => {
    const pick = (id: string | undefined) => (withPreferred && id ? { deviceId: { exact: id } } : {});
    return navigator.mediaDevices.getUserMedia({
      audio: audio ? { ...audioConstraints, ...pick(o.microphoneId) } : false,
      video: wantVideo ? { ...video, ...pick(o.cameraId) } : false,
    });
  };
  let stream: MediaStream;
  try {
    try {
      stream = await ask(true);
    } catch (e) {
      // Preferred, not required: a device chosen yesterday and unplugged today must not stop the call.
      const gone = (e as Error)?.name === 'OverconstrainedError' || (e as Error)?.name === 'NotFoundError';
      if (!gone || !(o.cameraId || o.microphoneId)) throw e;
      stream = await ask(false);
    }
  } catch (e) {
    throw toDeviceError(e, what);
  }
  const local = new LocalStream(stream, {
    maxVideoBitrate: o.maxVideoBitrate,
    minVideoBitrate: o.minVideoBitrate,
    video,
    audio: audioConstraints,
    followDevices: o.followDevices ?? true,
  });
  // The device asked for is in use: the app chose it, so a new headset does not take over.
  if (o.cameraId && local.cameraId === o.cameraId) local.pinDevice('camera');
  if (o.microphoneId && o.microphoneId !== 'default' && local.microphoneId === o.microphoneId) local.pinDevice('microphone');
  return local;
}
