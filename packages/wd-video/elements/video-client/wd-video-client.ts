import { WdVideoClient } from './video-client.js';

export { WdVideoClient };

// A second copy of the bundle on the page must not throw.
if (!customElements.get('wd-video-client')) customElements.define('wd-video-client', WdVideoClient);

declare global {
  interface HTMLElementTagNameMap {
    'wd-video-client': WdVideoClient;
  }
}
