import { css } from 'lit';

/** The device notices over the video (call-devices.view.ts). Empty ones take no room. */
export const deviceStyles = css`
  [part='device-error'],
  [part='device-notice'] {
    position: absolute;
    left: 0.75rem;
    right: 0.75rem;
    padding: 0.5rem 0.75rem;
    border-radius: calc(var(--wd-radius, 12px) / 1.5);
    font-size: 0.9rem;
    line-height: 1.35;
  }
  [part='device-error'] {
    top: 3rem;
    background: rgb(196 43 28 / 0.92);
    color: #fff;
  }
  [part='device-notice'] {
    bottom: 0.75rem;
    right: auto;
    max-width: 60%;
    background: rgb(0 0 0 / 0.65);
    color: #fff;
  }
  [part='device-error']:empty,
  [part='device-notice']:empty {
    padding: 0;
  }
`;
