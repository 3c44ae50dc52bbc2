import { html, nothing } from 'lit';
import { deviceIcons } from '../internal/device-icons.js';
import type { WdDeviceMenu } from './device-menu.js';

export interface MenuItem {
  kind: 'camera' | 'microphone' | 'speaker';
  deviceId: string;
  label: string;
  /** The device in use. */
  checked: boolean;
}

/** The template of the device menu: a menu button and, while open, its menu of radio items in groups. */
export function renderDeviceMenu(el: WdDeviceMenu) {
  const t = el.i18n.t.bind(el.i18n);
  const items = el.items;
  const groups = (['camera', 'microphone', 'speaker'] as const).filter((k) => items.some((i) => i.kind === k));
  let index = 0;
  return html`
    <button
      part="control devices-button"
      class="icon"
      aria-haspopup="menu"
      aria-expanded=${el.open ? 'true' : 'false'}
      aria-controls="menu"
      aria-label=${t('devices')}
      title=${t('devices')}
      @click=${() => (el.open ? el.close(true) : el.show())}
      @keydown=${(e: KeyboardEvent) => el.onButtonKey(e)}
    >
      ${deviceIcons.devices}
    </button>
    <div part="device-menu" id="menu" role="menu" popover="manual" class=${el.open ? 'open' : ''} aria-label=${t('devices')} @keydown=${(e: KeyboardEvent) => el.onMenuKey(e)}>
      ${el.open
        ? groups.map((kind) => {
            const label = el.kindLabel(kind);
            return html`<div part="device-group" role="group" aria-label=${label}>
              <div part="device-group-label" aria-hidden="true">${label}</div>
              ${items
                .filter((i) => i.kind === kind)
                .map((item) => {
                  const i = index++;
                  return html`<div
                    part="device-item"
                    role="menuitemradio"
                    aria-checked=${item.checked ? 'true' : 'false'}
                    tabindex=${i === el.focusIndex ? '0' : '-1'}
                    data-kind=${item.kind}
                    @click=${() => el.choose(item)}
                    @pointermove=${() => (el.focusIndex = i)}
                  >
                    <span class="tick">${item.checked ? deviceIcons.check : nothing}</span><span class="label">${item.label}</span>
                  </div>`;
                })}
            </div>`;
          })
        : nothing}
    </div>
  `;
}
