// The device menu and picture-in-picture parts of <wd-call>'s template, and its
// device notices: kept apart from call.view.ts so each stays one concern.
import { html, nothing } from 'lit';
import { deviceIcons } from '../internal/device-icons.js';
import type { WdCall } from './call.js';
import { PipController } from './pip-controller.js';

let menuLoading: Promise<unknown> | undefined;
/** The device menu is its own chunk: loaded when a call first has a camera or microphone. */
const loadMenu = () => (menuLoading ??= import('../device-menu/wd-device-menu.js'));

/** In the control bar: the device menu and the picture-in-picture toggle, while a call has media. */
export function renderDeviceControls(el: WdCall) {
  const t = el.i18n.t.bind(el.i18n);
  const local = el.media.current;
  const live = el.state !== 'idle' && el.state !== 'incoming' && el.state !== 'preparing';
  const remote = el.conversation?.remoteStream;
  if (live && local) void loadMenu();
  const pip = live && PipController.supported && (!PipController.needsVideo || !!remote?.stream.getVideoTracks().length);
  return html`
    ${live && local
      ? html`<wd-device-menu
          exportparts="control, devices-button, device-menu, device-group, device-group-label, device-item"
          .stream=${local}
          .remote=${remote}
          .strings=${el.strings}
        ></wd-device-menu>`
      : nothing}
    <button
      part="control pip-button"
      class="icon"
      aria-pressed=${el.pip.open ? 'true' : 'false'}
      aria-label=${t('pictureInPicture')}
      title=${t('pictureInPicture')}
      ?hidden=${!pip}
      @click=${() => el.togglePictureInPicture()}
    >
      ${deviceIcons.pip}
    </button>
  `;
}

/**
 * Over the video: what to do about a camera/microphone error, and a device that
 * changed by itself. Always in the DOM (empty = invisible): a live region must
 * exist before its text changes to be announced.
 */
export function renderDeviceNotices(el: WdCall) {
  return html`
    <div part="device-error" role="alert">${el.notices.error || nothing}</div>
    <div part="device-notice" role="status">${el.notices.notice || nothing}</div>
  `;
}
