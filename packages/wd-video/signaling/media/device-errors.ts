// getUserMedia and setSinkId fail with DOMException names; a person can act on
// each differently (allow access, plug a device in, close the other app, pick
// another device), so each becomes its own error code. All of them keep
// Wilddog's numeric 41005 (errors.ts), so apps matching on it still work.
import { WdVideoError } from '../errors.js';

/** What was asked for, as the message names it. */
export type DeviceWhat = 'camera' | 'microphone' | 'camera and microphone' | 'speaker';

/** The `device_*` error for a failed media-device request; a WdVideoError passes through. */
export function toDeviceError(e: unknown, what: DeviceWhat): WdVideoError {
  if (e instanceof WdVideoError) return e;
  const name = (e as { name?: string } | undefined)?.name;
  const detail = (e as { message?: string } | undefined)?.message;
  const opts = { cause: e };
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new WdVideoError('device_permission_denied', `${what}: access refused (by the person or the browser's site settings)`, opts);
    case 'NotFoundError':
      return new WdVideoError('device_not_found', `no ${what} found`, opts);
    case 'NotReadableError':
      return new WdVideoError('device_busy', `the ${what} could not be started: another application or tab may be using it`, opts);
    case 'OverconstrainedError': {
      const constraint = (e as { constraint?: string }).constraint;
      // A deviceId that no longer matches means the chosen device was unplugged.
      if (constraint === 'deviceId') return new WdVideoError('device_not_found', `the chosen ${what} is not connected`, opts);
      return new WdVideoError('device_overconstrained', `the ${what} cannot provide ${constraint || 'the requested settings'}`, opts);
    }
    default:
      return new WdVideoError('device_unavailable', `${what} not available${detail ? `: ${detail}` : ''}`, opts);
  }
}

/** Thrown where the browser has no media devices API (an insecure page, an old browser). */
export function unsupported(what: string): WdVideoError {
  return new WdVideoError('device_unsupported', `this browser cannot ${what} here (it needs https or localhost)`);
}
