import { css } from 'lit';

/**
 * Design tokens shared by the elements. Each public `--wd-*` property falls
 * back to a private `--_*` value that switches with the colour scheme, so a
 * page's override applies in light and dark alike.
 */
export const tokens = css`
  :host {
    --_surface: #ffffff;
    --_text: #1b1f24;
    --_muted-text: #4a5260;
    --_control: #e7eaee;
    --_control-text: #1b1f24;
    --_control-active: #1b1f24;
    --_control-active-text: #ffffff;
    --_accent: #0b7a35;
    --_danger: #c42b1c;
    --_stage: #10151b;
    --_focus: #1a5fd0;
    color-scheme: light dark;
    font-family: var(--wd-font-family, system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', sans-serif);
    color: var(--wd-color-text, var(--_text));
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_surface: #1c2129;
      --_text: #eef1f5;
      --_muted-text: #b7bfcb;
      --_control: #323a46;
      --_control-text: #eef1f5;
      --_control-active: #eef1f5;
      --_control-active-text: #12161c;
      --_accent: #0b7a35;
      --_danger: #c42b1c;
      --_stage: #05080b;
      --_focus: #8ab4ff;
    }
  }
  [hidden] {
    display: none !important;
  }
  .sr {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;

/** Round icon buttons and labelled pill buttons. */
export const buttons = css`
  button {
    font: inherit;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4em;
    min-width: var(--wd-control-size, 2.75rem);
    height: var(--wd-control-size, 2.75rem);
    padding: 0 0.9em;
    border: none;
    border-radius: calc(var(--wd-control-size, 2.75rem) / 2);
    background: var(--wd-color-control, var(--_control));
    color: var(--wd-color-control-text, var(--_control-text));
    cursor: pointer;
  }
  button.icon {
    padding: 0;
    width: var(--wd-control-size, 2.75rem);
  }
  button[aria-pressed='true'] {
    background: var(--wd-color-control-active, var(--_control-active));
    color: var(--wd-color-control-active-text, var(--_control-active-text));
  }
  button.accept {
    background: var(--wd-color-accent, var(--_accent));
    color: #fff;
  }
  button.danger {
    background: var(--wd-color-danger, var(--_danger));
    color: #fff;
  }
  button:focus-visible {
    outline: 3px solid var(--wd-focus-ring, var(--_focus));
    outline-offset: 2px;
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  svg {
    width: 1.25em;
    height: 1.25em;
    flex: none;
  }
`;

/** What every visible element starts from: the tokens, the buttons, a block box. */
export const elementBase = [
  tokens,
  buttons,
  css`
    :host {
      display: block;
    }
  `,
];
