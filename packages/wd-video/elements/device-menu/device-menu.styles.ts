import { css } from 'lit';
import { buttons, tokens } from '../internal/styles.js';

export const styles = [
  tokens,
  buttons,
  css`
    :host {
      display: inline-block;
      position: relative;
    }
    /* Placed by the element next to its button (position: fixed, in the top layer as a popover):
       the call's box clips its overflow. */
    [part='device-menu'] {
      position: fixed;
      inset: auto;
      margin: 0;
      border: none;
      z-index: 10;
      min-width: 16rem;
      max-width: min(24rem, 90vw);
      max-height: 22rem;
      overflow-y: auto;
      padding: 0.35rem;
      border-radius: var(--wd-radius, 12px);
      background: var(--wd-color-surface, var(--_surface));
      color: var(--wd-color-text, var(--_text));
      box-shadow: 0 8px 28px rgb(0 0 0 / 0.3);
    }
    [part='device-menu']:not(.open) {
      display: none;
    }
    [part='device-group'] + [part='device-group'] {
      border-top: 1px solid rgb(127 127 127 / 0.3);
      margin-top: 0.3rem;
      padding-top: 0.3rem;
    }
    [part='device-group-label'] {
      padding: 0.3rem 0.6rem;
      font-size: 0.8rem;
      font-weight: 600;
      color: var(--_muted-text);
    }
    [part='device-item'] {
      display: flex;
      align-items: center;
      gap: 0.4rem;
      padding: 0.45rem 0.6rem;
      border-radius: 6px;
      cursor: pointer;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    [part='device-item']:hover,
    [part='device-item']:focus {
      background: var(--wd-color-control, var(--_control));
      outline: none;
    }
    [part='device-item']:focus-visible {
      outline: 3px solid var(--wd-focus-ring, var(--_focus));
      outline-offset: -3px;
    }
    .tick {
      display: inline-flex;
      width: 1.25em;
      flex: none;
    }
    .label {
      overflow: hidden;
      text-overflow: ellipsis;
    }
  `,
];
