import { WdCallHistory } from './call-history.js';

export { WdCallHistory };

// A second copy of the bundle on the page must not throw.
if (!customElements.get('wd-call-history')) customElements.define('wd-call-history', WdCallHistory);

declare global {
  interface HTMLElementTagNameMap {
    'wd-call-history': WdCallHistory;
  }
}
