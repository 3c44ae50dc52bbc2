import { css } from 'lit';

/** Loaded with the lazy chunk (panel.ts), after the shared base styles. */
export const historyStyles = css`
    :host {
      display: block;
    }
    [part='base'] {
      padding: 0.75rem 1rem;
      border-radius: var(--wd-radius, 12px);
      background: var(--wd-color-surface, var(--_surface));
    }
    .head {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 0.5rem;
    }
    [part='title'] {
      margin: 0;
      font-size: 1.05rem;
    }
    [part='list'] {
      list-style: none;
      margin: 0.5rem 0 0;
      padding: 0;
    }
    [part~='item'] {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 0.75rem;
      padding: 0.5rem 0;
      border-top: 1px solid var(--wd-color-control, var(--_control));
    }
    .what {
      display: flex;
      flex-wrap: wrap;
      gap: 0.15rem 0.6rem;
      min-width: 0;
    }
    [part='peer'] {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    [part~='missed'] [part='outcome'],
    .badge {
      color: var(--wd-color-danger, var(--_danger));
    }
    .badge {
      font-weight: 700;
    }
    [part='time'],
    [part='data'] {
      color: var(--wd-color-muted-text, var(--_muted-text));
      font-size: 0.9em;
      overflow-wrap: anywhere;
    }
    button {
      display: inline-flex;
      align-items: center;
      gap: 0.3rem;
      /* 44 CSS px: a touch target a thumb hits (WCAG 2.5.5), as the other elements' controls. */
      min-height: var(--wd-control-size, 2.75rem);
      padding: 0 0.8rem;
      border: none;
      border-radius: 999px;
      font: inherit;
      cursor: pointer;
      background: var(--wd-color-control, var(--_control));
      color: var(--wd-color-control-text, var(--_control-text));
    }
    [part='call-back-button'] {
      flex: none;
      background: var(--wd-color-accent, var(--_accent));
      color: #fff;
    }
    button:focus-visible {
      outline: 3px solid var(--wd-focus-ring, var(--_focus));
      outline-offset: 2px;
    }
    button svg {
      width: 1.1em;
      height: 1.1em;
    }
  `;
