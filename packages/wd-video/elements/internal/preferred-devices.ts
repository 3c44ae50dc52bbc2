// The devices the person chose on this page, in `<wd-device-check>` or a call's
// device menu: the next `<wd-call>` opens them, when they are still there. A
// page can set them too (e.g. from its own settings, kept across visits).

export interface PreferredDevices {
  /** deviceId of a camera (see `wdVideo.devices()`). */
  camera?: string;
  microphone?: string;
  speaker?: string;
}

/** @internal Read and written by the elements. */
export const preferredDevices: PreferredDevices = {};

/** The devices the elements will use next (undefined = the system default). */
export function getPreferredDevices(): PreferredDevices {
  return { ...preferredDevices };
}

/** Sets the devices the next `<wd-call>` opens; `{}` = the system defaults. Throws a TypeError on anything but deviceId strings. */
export function setPreferredDevices(devices: PreferredDevices): void {
  const kinds = ['camera', 'microphone', 'speaker'] as const;
  for (const [k, v] of Object.entries(devices ?? {})) {
    if (!kinds.includes(k as (typeof kinds)[number]) || (v !== undefined && (typeof v !== 'string' || !v))) {
      throw new TypeError(`setPreferredDevices: ${k} must be one of ${kinds.join(', ')} with a deviceId string`);
    }
  }
  for (const k of kinds) {
    if (devices?.[k]) preferredDevices[k] = devices[k];
    else delete preferredDevices[k];
  }
}
