// DOM events of the device menu and `<wd-device-check>` (the others are in
// events.ts): they bubble and cross shadow roots, each a CustomEvent with a
// typed `detail`, listed in GlobalEventHandlersEventMap.
import type { DeviceCheckResults } from './device-check/results.js';

export interface WdDeviceChangeDetail {
  kind: 'camera' | 'microphone' | 'speaker';
  /** The device now in use; undefined = the system default (speaker) or none left. */
  deviceId: string | undefined;
  /** Its label ('' for the default speaker or none left). */
  label: string;
  previous: string | undefined;
  /** `chosen` in the menu (or by the app), `lost` (unplugged: back to the default), `plugged` (a new headset, followed). */
  reason: 'chosen' | 'lost' | 'plugged';
}

export interface WdCheckCompleteDetail {
  results: DeviceCheckResults;
}

export type WdDeviceChangeEvent = CustomEvent<WdDeviceChangeDetail>;
export type WdCheckCompleteEvent = CustomEvent<WdCheckCompleteDetail>;
export type { DeviceCheckResults, CheckItem, CheckStatus } from './device-check/results.js';

declare global {
  interface GlobalEventHandlersEventMap {
    'wd-device-change': WdDeviceChangeEvent;
    'wd-check-complete': WdCheckCompleteEvent;
  }
}
