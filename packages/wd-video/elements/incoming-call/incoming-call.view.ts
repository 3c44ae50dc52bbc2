import { html } from 'lit';
import { icons } from '../internal/icons.js';
import type { Conversation } from '../internal/sdk.js';
import type { WdIncomingCall } from './incoming-call.js';

/**
 * The template of `<wd-incoming-call>`. The caller's uid and data are bound as
 * text: Lit escapes them, so `<img onerror=…>` in the data stays characters.
 */
export function renderIncoming(el: WdIncomingCall, conv: Conversation | undefined) {
  const t = el.i18n.t.bind(el.i18n);
  const uid = conv?.remoteUid ?? '';
  const data = dataText(conv?.data);
  return html`
    <div
      part="dialog"
      role="alertdialog"
      aria-modal="false"
      aria-labelledby="title caller"
      aria-describedby="data"
      tabindex="-1"
      ?hidden=${el.state !== 'ringing'}
      @keydown=${(e: KeyboardEvent) => el.onKeydown(e)}
    >
      <div class="who">
        <slot name="avatar"><span part="avatar" aria-hidden="true">${(uid[0] ?? '?').toUpperCase()}</span></slot>
        <div class="text">
          <h2 part="title" id="title">${t('incomingCall')}</h2>
          <p part="caller" id="caller">${t('incomingFrom', { uid })}</p>
        </div>
      </div>
      <p part="data" id="data" ?hidden=${!data}><span class="sr">${t('callerData')}: </span>${data}</p>
      <div part="actions">
        <button part="accept-button" class="accept" @click=${() => el.accept()}>${icons.call}<span>${t('accept')}</span></button>
        <button part="decline-button" class="danger" @click=${() => el.decline()}>${icons.hangup}<span>${t('decline')}</span></button>
        <slot name="actions"></slot>
      </div>
    </div>
    <audio part="ringtone" loop preload="auto" src=${el.ringtone || ''} hidden></audio>
    ${el.ownCall
      ? html`<wd-call
          part="call"
          exportparts="base: call-base, stage: call-stage, remote-video: call-remote-video, local-video: call-local-video, controls: call-controls, control: call-control, hangup-button: call-hangup-button, mute-button: call-mute-button, camera-button: call-camera-button, share-button: call-share-button, status: call-status, duration: call-duration, quality: call-quality"
          .client=${el.client}
          .strings=${el.strings}
          @wd-closed=${() => el.ownCallEnded()}
        ></wd-call>`
      : ''}
  `;
}

/** Any JSON-able caller data as display text; the view binds it as text, never HTML. */
export function dataText(data: unknown): string {
  if (data === undefined || data === null || data === '') return '';
  if (typeof data === 'string') return data;
  try {
    return JSON.stringify(data) ?? String(data);
  } catch {
    return String(data);
  }
}
