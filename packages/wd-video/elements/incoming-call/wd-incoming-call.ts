import { WdIncomingCall } from './incoming-call.js';

export { WdIncomingCall };

// A second copy of the bundle on the page must not throw.
if (!customElements.get('wd-incoming-call')) customElements.define('wd-incoming-call', WdIncomingCall);

declare global {
  interface HTMLElementTagNameMap {
    'wd-incoming-call': WdIncomingCall;
  }
}
