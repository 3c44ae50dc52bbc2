// The lazy chunk of <wd-device-check>: the checks, the template, the styles and
// the labels. The element (device-check.ts) loads it on first connect.
import { adoptStyles } from 'lit';
import { loadDeviceErrorText } from '../internal/device-error-text.js';
import { elementBase } from '../internal/styles.js';
import { checkEn, checkZhCN } from './check-strings.js';
import type { WdDeviceCheck } from './device-check.js';
import { panelStyles } from './device-check.styles.js';

export { CheckRun } from './check-run.js';
export { renderPanel } from './device-check.view.js';

/** Gives the element its styles and labels once the chunk is here. */
export function adopt(el: WdDeviceCheck): void {
  if (el.shadowRoot) adoptStyles(el.shadowRoot, [...elementBase, panelStyles]);
  el.i18n.extend({ en: checkEn, 'zh-CN': checkZhCN });
  void loadDeviceErrorText();
}
