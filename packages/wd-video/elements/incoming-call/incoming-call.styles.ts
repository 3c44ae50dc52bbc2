import { css } from 'lit';
import { elementBase } from '../internal/styles.js';

export const styles = [
  ...elementBase,
  css`
    :host([state='idle']) {
      display: none;
    }
    [part='dialog'] {
      position: fixed;
      z-index: var(--wd-z-index, 1000);
      top: 1rem;
      left: 50%;
      transform: translateX(-50%);
      box-sizing: border-box;
      width: min(24rem, calc(100vw - 2rem));
      padding: 1rem 1.25rem;
      border-radius: var(--wd-radius, 12px);
      background: var(--wd-color-surface, var(--_surface));
      color: var(--wd-color-text, var(--_text));
      box-shadow: var(--wd-shadow, 0 10px 30px rgb(0 0 0 / 0.3));
      animation: wd-in 0.2s ease-out;
    }
    [part='dialog']:focus-visible {
      outline: 3px solid var(--wd-focus-ring, var(--_focus));
      outline-offset: 2px;
    }
    .who {
      display: flex;
      align-items: center;
      gap: 0.8rem;
    }
    .text {
      min-width: 0;
    }
    [part='avatar'] {
      display: grid;
      place-items: center;
      flex: none;
      width: 3rem;
      height: 3rem;
      border-radius: 50%;
      background: #3a4452;
      color: #fff;
      font-size: 1.4rem;
      font-weight: 600;
    }
    [part='title'] {
      margin: 0;
      font-size: 0.85rem;
      font-weight: 500;
      color: var(--wd-color-muted-text, var(--_muted-text));
    }
    [part='caller'] {
      margin: 0.1rem 0 0;
      font-size: 1.15rem;
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    [part='data'] {
      margin: 0.75rem 0 0;
      max-height: 6em;
      overflow: auto;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      color: var(--wd-color-muted-text, var(--_muted-text));
    }
    [part='actions'] {
      display: flex;
      flex-wrap: wrap;
      gap: 0.6rem;
      margin-top: 1rem;
    }
    [part='actions'] button {
      flex: 1;
    }
    @keyframes wd-in {
      from {
        opacity: 0;
        transform: translate(-50%, -0.5rem);
      }
    }
    /* Phones: a sheet at the bottom, where one thumb reaches Accept and Decline (above the home indicator). */
    @media (max-width: 32rem) {
      [part='dialog'] {
        top: auto;
        bottom: calc(1rem + env(safe-area-inset-bottom, 0px));
        animation-name: wd-in-from-below;
      }
      [part='actions'] button {
        min-height: 3rem;
      }
    }
    @keyframes wd-in-from-below {
      from {
        opacity: 0;
        transform: translate(-50%, 0.5rem);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      [part='dialog'] {
        animation: none;
      }
    }
  `,
];
