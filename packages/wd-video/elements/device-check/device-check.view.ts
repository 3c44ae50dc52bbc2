import { html, nothing } from 'lit';
// liveDom (lit's live()): Lit sets an object-valued property on every render, and setting
// srcObject, even to the same stream, restarts the video (a blank frame).
import { live as liveDom } from 'lit/directives/live.js';
import { deviceErrorText } from '../internal/device-error-text.js';
import type { Device } from '../internal/sdk.js';
import type { WdCheckStrings } from './check-strings.js';
import type { WdDeviceCheck } from './device-check.js';
import { CHECK_NAMES, type CheckItem, type CheckName } from './results.js';

type Key = Parameters<WdDeviceCheck['i18n']['t']>[0];

const itemName: Record<CheckName, Key> = {
  camera: 'deviceCamera',
  microphone: 'deviceMicrophone',
  speaker: 'deviceSpeaker',
  signIn: 'checkSignIn',
  signaling: 'checkSignaling',
  relay: 'checkRelay',
};
const statusName: Record<CheckItem['status'], keyof WdCheckStrings> = {
  ok: 'statusOk',
  warn: 'statusWarn',
  fail: 'statusFail',
  pending: 'statusPending',
  untested: 'statusUntested',
};
const statusIcon: Record<CheckItem['status'], string> = { ok: '✓', warn: '!', fail: '✕', pending: '…', untested: '–' };

/** What an item found, or what to do: `verdict_<item>_<code>`, `verdict_<code>`, a device error's advice. */
function verdictText(el: WdDeviceCheck, name: CheckName, item: CheckItem): string {
  const t = el.i18n.t.bind(el.i18n);
  const vars = { label: item.label ?? '', ms: item.ms ?? 0 };
  const code = item.code ?? item.status;
  for (const key of [`verdict_${name}_${code}`, `verdict_${code}`] as Key[]) {
    const s = t(key, vars);
    if (s !== key) return s;
  }
  return deviceErrorText((k) => t(k), { code }) ?? '';
}

function deviceSelect(el: WdDeviceCheck, part: string, label: string, devices: Device[], current: string | undefined, choose: (id: string) => void) {
  if (!devices.length) return nothing;
  return html`<label part="device-label"
    >${label}
    <select part=${part} @change=${(e: Event) => choose((e.target as HTMLSelectElement).value)}>
      ${devices.map(
        (d, i) => html`<option value=${d.deviceId} ?selected=${d.deviceId === current}>${d.label || el.i18n.t('deviceUnnamed', { kind: label, n: i + 1 })}</option>`,
      )}
    </select></label
  >`;
}

/** The template of `<wd-device-check>` (its lazy chunk). */
export function renderPanel(el: WdDeviceCheck) {
  const t = el.i18n.t.bind(el.i18n);
  const run = el.run;
  const results = run?.results;
  const d = run?.devices;
  const done = el.state === 'done' && results;
  const ok = results ? CHECK_NAMES.filter((n) => results[n].status === 'ok').length : 0;
  return html`
    <section part="base" aria-labelledby="title">
      <h2 part="title" id="title">${t('checkTitle')}</h2>
      <div part="media" ?hidden=${!run}>
        <video
          part="preview"
          autoplay
          playsinline
          muted
          .muted=${true}
          aria-label=${t('checkPreview')}
          .srcObject=${liveDom(run?.camera ?? null)}
          @loadeddata=${() => run?.cameraShows()}
        ></video>
        <div part="devices">
          ${deviceSelect(el, 'camera-select', t('deviceCamera'), d?.cameras ?? [], run?.cameraId, (id) => run?.chooseCamera(id))}
          ${deviceSelect(el, 'microphone-select', t('deviceMicrophone'), d?.microphones ?? [], run?.microphoneId, (id) => run?.chooseMicrophone(id))}
          <label part="level-label" for="level">${t('checkLevel')}</label>
          <meter part="level" id="level" min="0" max="1" low="0.33" high="0.9" optimum="0.6" .value=${run?.level ?? 0}></meter>
          ${run?.canSetSpeaker
            ? deviceSelect(el, 'speaker-select', t('deviceSpeaker'), d?.speakers ?? [], run.speakerId || 'default', (id) => run.chooseSpeaker(id))
            : nothing}
          <button part="sound-button" ?disabled=${!run || run.playing} @click=${() => run?.playSound()}>${t('checkPlaySound')}</button>
          <div part="heard" role="group" aria-labelledby="heard-question" ?hidden=${!run?.asked}>
            <span id="heard-question">${t('checkHeardQuestion')}</span>
            <button part="heard-button" @click=${() => run?.heard(true)}>${t('checkHeardIt')}</button>
            <button part="not-heard-button" @click=${() => run?.heard(false)}>${t('checkNotHeard')}</button>
          </div>
        </div>
      </div>
      ${results
        ? html`<ul part="verdicts" aria-label=${t('checkResults')}>
            ${CHECK_NAMES.map((name) => {
              const item = results[name];
              return html`<li part="verdict" data-item=${name} data-status=${item.status}>
                <span part="verdict-icon" aria-hidden="true">${statusIcon[item.status]}</span>
                <span part="verdict-name">${t(itemName[name])}</span>
                <span part="verdict-status">${t(statusName[item.status])}</span>
                <span part="verdict-text">${verdictText(el, name, item)}</span>
              </li>`;
            })}
          </ul>`
        : nothing}
      <p part="summary" role="status">${done ? t('checkDone', { ok, total: CHECK_NAMES.length }) : el.state === 'running' ? t('checkRunning') : nothing}</p>
      <button part="start-button" class="accept" ?disabled=${el.state === 'running'} @click=${() => el.start()}>${run ? t('checkAgain') : t('checkStart')}</button>
    </section>
  `;
}
