// The lazy chunk of <wd-call-history>: the template, the styles and the labels.
// The element (call-history.ts) loads it on first connect, so pages that never
// show a history do not download it.
import { adoptStyles } from 'lit';
import { elementBase } from '../internal/styles.js';
import type { WdCallHistory } from './call-history.js';
import { historyStyles } from './call-history.styles.js';
import { historyEn, historyZhCN } from './history-strings.js';

export { renderHistory } from './call-history.view.js';

/** Gives the element its styles and labels once the chunk is here. */
export function adopt(el: WdCallHistory): void {
  if (el.shadowRoot) adoptStyles(el.shadowRoot, [...elementBase, historyStyles]);
  el.i18n.extend({ en: historyEn, 'zh-CN': historyZhCN });
}
