import { html, nothing } from 'lit';
// liveDom (lit's live()): Lit sets an object-valued property on every render, and setting
// srcObject, even to the same stream, restarts the video (a blank frame).
import { live as liveDom } from 'lit/directives/live.js';
import { icons } from '../internal/icons.js';
import type { WdCall } from './call.js';

/**
 * What the Document Picture-in-Picture window shows: the other side's video
 * (muted: the page's own <video> keeps playing the sound), your preview, and
 * the mute, camera and hang-up buttons, which act on the `<wd-call>`.
 */
export function renderPip(el: WdCall) {
  const t = el.i18n.t.bind(el.i18n);
  const uid = el.conversation?.remoteUid ?? el.remoteUid;
  const remote = el.remoteMedia;
  const video = !el.audioOnly;
  return html`
    <main class="pip" aria-label=${t('remoteVideo', { uid })}>
      <video class="remote" autoplay playsinline muted .muted=${true} .srcObject=${liveDom(remote ?? null)} ?hidden=${!remote?.getVideoTracks().length}></video>
      <div class="name" ?hidden=${!!remote?.getVideoTracks().length}>${uid}</div>
      <video class="local" autoplay playsinline muted .muted=${true} .srcObject=${liveDom(el.media.preview ?? null)} ?hidden=${!video || el.cameraOff}></video>
      <div class="controls" role="toolbar" aria-label=${t('controls')}>
        <button class="toggle" aria-pressed=${el.muted ? 'true' : 'false'} aria-label=${t('mute')} title=${el.muted ? t('unmute') : t('mute')} @click=${() => (el.muted = !el.muted)}>
          ${el.muted ? icons.micOff : icons.mic}
        </button>
        ${video
          ? html`<button class="toggle" aria-pressed=${el.cameraOff ? 'true' : 'false'} aria-label=${t('cameraOff')} title=${el.cameraOff ? t('cameraOn') : t('cameraOff')} @click=${() => (el.cameraOff = !el.cameraOff)}>
              ${el.cameraOff ? icons.cameraOff : icons.camera}
            </button>`
          : nothing}
        <button class="danger" aria-label=${t('hangup')} title=${t('hangup')} @click=${() => el.hangup()}>${icons.hangup}</button>
      </div>
    </main>
  `;
}

/** The window's styles: a plain <style> (a constructed stylesheet cannot cross into another document). */
export const pipCss = `
  html, body { margin: 0; height: 100%; background: #10151b; color: #fff; font-family: system-ui, sans-serif; }
  [hidden] { display: none !important; }
  .pip { position: relative; height: 100%; overflow: hidden; }
  .remote { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: contain; }
  .name { position: absolute; inset: 0; display: grid; place-items: center; font-size: 1.2rem; }
  .local { position: absolute; right: 0.5rem; top: 0.5rem; width: 28%; aspect-ratio: 4 / 3; object-fit: cover; border-radius: 6px; border: 2px solid rgb(255 255 255 / 0.6); transform: scaleX(-1); }
  .controls { position: absolute; left: 0; right: 0; bottom: 0.5rem; display: flex; justify-content: center; gap: 0.5rem; }
  button { width: 2.5rem; height: 2.5rem; border: none; border-radius: 50%; display: grid; place-items: center; background: #e7eaee; color: #1b1f24; cursor: pointer; }
  button[aria-pressed='true'] { background: #1b1f24; color: #fff; outline: 1px solid #fff; }
  button.danger { background: #c42b1c; color: #fff; }
  button:focus-visible { outline: 3px solid #8ab4ff; outline-offset: 2px; }
  svg { width: 1.2rem; height: 1.2rem; }
`;
