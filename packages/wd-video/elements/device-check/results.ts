// What <wd-device-check> found, item by item: a status a page can style or
// branch on, and a code saying why (the panel shows localized advice for it).

/** `pending` while checking; `ok`; `warn` (works, but…); `fail`; `untested` (needs the person: the speaker). */
export type CheckStatus = 'pending' | 'ok' | 'warn' | 'fail' | 'untested';

export interface CheckItem {
  status: CheckStatus;
  /**
   * Why, when not `ok`: a `device_*` error code (camera, microphone, speaker),
   * `quiet` (no sound from the microphone yet), `not_heard` (speaker), or a
   * network reason (`connect_failed`, `token_invalid`, `timeout`,
   * `unreachable`, `refused`, `blocked`, `no_data`, `no_relay`, `skipped`, `slow`).
   */
  code?: string;
  /** A round trip in ms (network items). */
  ms?: number;
  /** The device used (camera, microphone, speaker). */
  label?: string;
}

export interface DeviceCheckResults {
  camera: CheckItem;
  microphone: CheckItem;
  speaker: CheckItem;
  signIn: CheckItem;
  signaling: CheckItem;
  relay: CheckItem;
}

export type CheckName = keyof DeviceCheckResults;

export const CHECK_NAMES: CheckName[] = ['camera', 'microphone', 'speaker', 'signIn', 'signaling', 'relay'];

export const pendingResults = (): DeviceCheckResults => ({
  camera: { status: 'pending' },
  microphone: { status: 'pending' },
  speaker: { status: 'untested' },
  signIn: { status: 'pending' },
  signaling: { status: 'pending' },
  relay: { status: 'pending' },
});
