import { WdDeviceMenu } from './device-menu.js';

export { WdDeviceMenu };

// A second copy of the bundle on the page must not throw.
if (!customElements.get('wd-device-menu')) customElements.define('wd-device-menu', WdDeviceMenu);

declare global {
  interface HTMLElementTagNameMap {
    'wd-device-menu': WdDeviceMenu;
  }
}
