import { WdCall } from './call.js';

export { WdCall };

// A second copy of the bundle on the page must not throw.
if (!customElements.get('wd-call')) customElements.define('wd-call', WdCall);

declare global {
  interface HTMLElementTagNameMap {
    'wd-call': WdCall;
  }
}
