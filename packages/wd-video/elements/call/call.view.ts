import { html, nothing } from 'lit';
// liveDom (lit's live()): Lit sets an object-valued property on every render, and setting
// srcObject, even to the same stream, restarts the video (a blank frame).
import { live as liveDom } from 'lit/directives/live.js';
import { icons } from '../internal/icons.js';
import { renderDeviceControls, renderDeviceNotices } from './call-devices.view.js';
import { isRinging } from '../internal/sdk.js';
import type { WdStrings } from '../internal/strings.js';
import type { WdCall } from './call.js';

const stateLabel: Record<string, keyof WdStrings> = {
  preparing: 'statePreparing',
  calling: 'stateCalling',
  ringing: 'stateRinging',
  incoming: 'stateIncoming',
  connecting: 'stateConnecting',
  connected: 'stateConnected',
  reconnecting: 'stateReconnecting',
};

function statusText(el: WdCall): string {
  const t = el.i18n.t.bind(el.i18n);
  if (el.state !== 'idle') return t(stateLabel[el.state]!);
  if (el.lastReason) {
    const key = `reason${el.lastReason[0]!.toUpperCase()}${el.lastReason.slice(1)}` as keyof WdStrings;
    return t(key);
  }
  return el.remoteUid ? t('stateIdle') : t('noRemoteUid');
}

/** The template of `<wd-call>`: every part is always rendered and hidden when unused. */
export function renderCall(el: WdCall) {
  const t = el.i18n.t.bind(el.i18n);
  const uid = el.conversation?.remoteUid ?? el.remoteUid;
  const idle = el.state === 'idle';
  const incoming = el.state === 'incoming';
  const live = !idle && !incoming;
  // A call we place is cancelled until answered (also while its camera opens); one we take is hung up.
  const conv = el.conversation;
  const cancels = conv ? conv.direction === 'outgoing' && isRinging(conv.state) : el.state === 'preparing';
  const media = el.state === 'connected' || el.state === 'reconnecting';
  const remote = el.remoteMedia;
  const showRemoteVideo = !!remote && remote.getVideoTracks().length > 0 && el.state !== 'calling';
  const preview = el.media.preview;
  const video = !el.audioOnly;
  const connected = el.activeClient?.status === 'connected';
  const level = el.quality;
  return html`
    <div part="base">
      <div part="stage">
        <video
          part="remote-video"
          autoplay
          playsinline
          aria-label=${t('remoteVideo', { uid })}
          .srcObject=${liveDom(remote ?? null)}
          ?hidden=${!showRemoteVideo}
        ></video>
        <div part="placeholder" ?hidden=${showRemoteVideo}>
          <slot name="avatar"><span part="avatar" aria-hidden="true">${(uid[0] ?? '?').toUpperCase()}</span></slot>
          <span part="remote-uid">${uid}</span>
        </div>
        <video
          part="local-video"
          autoplay
          playsinline
          muted
          .muted=${true}
          aria-label=${t('localVideo')}
          .srcObject=${liveDom(preview ?? null)}
          ?hidden=${!preview || !video || (el.cameraOff && !el.sharing)}
          class=${el.sharing ? 'screen' : ''}
        ></video>
        <div part="status-bar">
          <span part="status" role="status">${statusText(el)}</span>
          <span part="signaling-status" role="status" ?hidden=${!el.signalingReconnecting}>${el.signalingReconnecting ? t('signalingReconnecting') : ''}</span>
          <span part="duration" role="timer" aria-label=${t('duration')} ?hidden=${!el.duration.running}>${el.duration.text}</span>
          <span part="quality" role="img" data-level=${level} aria-label=${t('quality', { level: t(`quality${level}` as keyof WdStrings) })} ?hidden=${!media}>
            ${[1, 2, 3, 4].map((n) => html`<span part="quality-bar" class=${n <= level ? 'on' : ''}></span>`)}
          </span>
        </div>
        ${renderDeviceNotices(el)}
      </div>
      <div part="controls" role="toolbar" aria-label=${t('controls')}>
        <button part="control call-button" class="accept" ?hidden=${!idle} ?disabled=${!el.remoteUid || !connected} @click=${() => el.start()}>
          ${icons.call}<span>${el.remoteUid ? t('callUid', { uid: el.remoteUid }) : t('call')}</span>
        </button>
        <button part="control accept-button" class="accept" ?hidden=${!incoming} @click=${() => el.accept()}>
          ${icons.call}<span>${t('accept')}</span>
        </button>
        <button part="control decline-button" class="danger" ?hidden=${!incoming} @click=${() => el.reject()}>
          ${icons.hangup}<span>${t('decline')}</span>
        </button>
        ${toggle(el.muted, live, 'mute-button', t('mute'), el.muted ? t('unmute') : t('mute'), el.muted ? icons.micOff : icons.mic, () => (el.muted = !el.muted))}
        ${toggle(el.cameraOff, live && video, 'camera-button', t('cameraOff'), el.cameraOff ? t('cameraOn') : t('cameraOff'), el.cameraOff ? icons.cameraOff : icons.camera, () => (el.cameraOff = !el.cameraOff))}
        <button part="control switch-camera-button" class="icon" ?hidden=${!live || !video || !el.media.canSwitch} aria-label=${t('switchCamera')} title=${t('switchCamera')} @click=${() => el.switchCamera()}>
          ${icons.switchCamera}
        </button>
        ${toggle(el.sharing, live && video && el.media.canShare, 'share-button', t('shareScreen'), el.sharing ? t('stopSharing') : t('shareScreen'), icons.screen, () => (el.sharing ? el.stopScreenShare() : el.shareScreen()))}
        ${renderDeviceControls(el)}
        <button part="control hangup-button" class="danger" ?hidden=${!live} @click=${() => el.hangup()}>
          ${icons.hangup}<span>${cancels ? t('cancel') : t('hangup')}</span>
        </button>
        <slot name="actions"></slot>
      </div>
    </div>
  `;
}

// A toggle keeps one accessible name and reports its state with aria-pressed;
// the tooltip says what a click will do.
function toggle(pressed: boolean, shown: boolean, part: string, label: string, tip: string, icon: unknown, onClick: () => unknown) {
  return html`<button
    part="control ${part}"
    class="icon"
    aria-pressed=${pressed ? 'true' : 'false'}
    aria-label=${label}
    title=${tip}
    ?hidden=${!shown}
    @click=${onClick}
  >
    ${icon ?? nothing}
  </button>`;
}
