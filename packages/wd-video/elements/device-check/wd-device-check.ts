import { WdDeviceCheck } from './device-check.js';

export { WdDeviceCheck };

// A second copy of the bundle on the page must not throw.
if (!customElements.get('wd-device-check')) customElements.define('wd-device-check', WdDeviceCheck);

declare global {
  interface HTMLElementTagNameMap {
    'wd-device-check': WdDeviceCheck;
  }
}
