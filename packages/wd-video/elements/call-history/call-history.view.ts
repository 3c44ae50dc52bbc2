import { html } from 'lit';
import { dataText } from '../incoming-call/incoming-call.view.js';
import { icons } from '../internal/icons.js';
import type { CallRecord } from '../internal/sdk.js';
import type { WdCallHistory } from './call-history.js';

/**
 * The template of `<wd-call-history>`. Uids and the caller's data are bound as
 * text: Lit escapes them, so markup in either stays characters.
 */
export function renderHistory(el: WdCallHistory) {
  const t = el.i18n.t.bind(el.i18n);
  const unseen = el.records.some((r) => r.outcome === 'missed' && !r.seen);
  const empty = el.state === 'unavailable' ? t('historyUnavailable') : el.state === 'ready' && !el.records.length ? t('historyEmpty') : el.state === 'loading' && !el.records.length ? t('historyLoading') : '';
  return html`
    <section part="base" aria-labelledby="title" aria-busy=${el.state === 'loading' ? 'true' : 'false'}>
      <div class="head">
        <h2 part="title" id="title">${t('history')}</h2>
        <button part="mark-seen-button" ?hidden=${!unseen} @click=${() => el.markAllSeen()}>${t('markAllSeen')}</button>
      </div>
      <p part="empty" role="status" ?hidden=${!empty}>${empty}</p>
      <ul part="list" ?hidden=${!el.records.length}>
        ${el.records.map((r) => item(el, r))}
      </ul>
    </section>
    ${el.ownCallUid
      ? html`<wd-call part="call" .client=${el.client} .strings=${el.strings} remote-uid=${el.ownCallUid} @wd-closed=${() => el.ownCallEnded()}></wd-call>`
      : ''}
  `;
}

function item(el: WdCallHistory, r: CallRecord) {
  const t = el.i18n.t.bind(el.i18n);
  const peer = r.direction === 'incoming' ? r.caller : r.callee;
  const missed = r.outcome === 'missed';
  const parts = ['item', missed ? 'missed' : '', missed && !r.seen ? 'unseen' : ''].filter(Boolean).join(' ');
  const data = dataText(r.data);
  return html`
    <li part=${parts}>
      <div class="what">
        <span part="peer">${t(r.direction === 'incoming' ? 'incomingFromUid' : 'outgoingToUid', { uid: peer })}</span>
        ${missed && !r.seen ? html`<span class="badge">${t('missed')}</span>` : ''}
        <span part="outcome">${outcome(el, r)}</span>
        <time part="time" datetime=${new Date(r.at).toISOString()}>${when(el.i18n.lang, r.at)}</time>
        <span part="data" ?hidden=${!data}>${data}</span>
      </div>
      <button part="call-back-button" aria-label=${t('callBackUid', { uid: peer })} @click=${() => el.callBack(peer)}>
        ${icons.call}<span>${t('callBack')}</span>
      </button>
    </li>
  `;
}

const OUTCOME_KEYS = {
  answered: 'outcomeAnswered',
  missed: 'outcomeMissed',
  rejected: 'outcomeRejected',
  busy: 'outcomeBusy',
  unavailable: 'outcomeUnavailable',
  timeout: 'outcomeTimeout',
  cancelled: 'outcomeCancelled',
  failed: 'outcomeFailed',
} as const;

function outcome(el: WdCallHistory, r: CallRecord): string {
  return el.i18n.t(OUTCOME_KEYS[r.outcome] ?? 'outcomeFailed', { duration: clock(r.durationMs ?? 0) });
}

/** 75000 -> "1:15", 3723000 -> "1:02:03". */
export function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}` : `${Math.floor(s / 60)}:${two(s % 60)}`;
}

function when(lang: string, at: number): string {
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
  } catch {
    return new Date(at).toLocaleString();
  }
}
