// Plugging and unplugging devices, SIMULATED: a test cannot unplug Chromium's
// fake devices, so enumerateDevices is stubbed to list what the test says and a
// `devicechange` event is fired, as the browser does when hardware changes.
// getUserMedia stays real: a "plugged-in headset" is a real fake device under
// another label. Tests using this say "simulated" in their names.
import { onCleanup } from './cleanup.js';

type Listed = Pick<MediaDeviceInfo, 'deviceId' | 'groupId' | 'kind' | 'label'>;

const real = navigator.mediaDevices.enumerateDevices.bind(navigator.mediaDevices);

/** The devices the browser really lists. */
export const realDevices = (): Promise<Listed[]> => real();

/** From now on enumerateDevices lists `devices`; fires `devicechange`. Restored at the end of the test. */
export function simulateDevices(devices: Listed[]): void {
  // MediaDeviceInfo's fields are prototype getters: copy them by name.
  const list = devices.map(({ deviceId, groupId, kind, label }) => ({ deviceId, groupId, kind, label, toJSON: () => ({ deviceId, groupId, kind, label }) }));
  navigator.mediaDevices.enumerateDevices = async () => list as unknown as MediaDeviceInfo[];
  onCleanup(() => (navigator.mediaDevices.enumerateDevices = real));
  navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
}

/** The real list without the devices `gone` matches: "unplugged". */
export async function simulateUnplug(gone: (d: Listed) => boolean): Promise<void> {
  simulateDevices((await real()).filter((d) => !gone(d)));
}

/** The real list plus `extra` (which replace real entries with their ids, e.g. relabelled as a headset): "plugged in". */
export async function simulatePlug(...extra: Listed[]): Promise<void> {
  const same = (a: Listed, b: Listed) => a.kind === b.kind && a.deviceId === b.deviceId;
  simulateDevices([...(await real()).filter((d) => !extra.some((e) => same(d, e))), ...extra]);
}
