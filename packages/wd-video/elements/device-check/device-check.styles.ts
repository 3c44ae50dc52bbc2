import { css } from 'lit';

export const panelStyles = css`
  :host {
    --_ok: #0b7a35;
    --_warn: #9a5b00;
    max-width: 44rem;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_ok: #4cc27a;
      --_warn: #f0b04a;
    }
  }
  [part='base'] {
    display: grid;
    gap: 0.9rem;
    padding: 1rem;
    border-radius: var(--wd-radius, 12px);
    background: var(--wd-color-surface, var(--_surface));
  }
  [part='title'] {
    margin: 0;
    font-size: 1.2rem;
  }
  [part='media'] {
    display: grid;
    grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
    gap: 1rem;
    align-items: start;
  }
  @media (max-width: 36rem) {
    [part='media'] {
      grid-template-columns: 1fr;
    }
  }
  [part='preview'] {
    width: 100%;
    aspect-ratio: 4 / 3;
    object-fit: cover;
    border-radius: calc(var(--wd-radius, 12px) / 1.5);
    background: var(--wd-color-stage, var(--_stage));
    transform: scaleX(-1);
  }
  [part='devices'] {
    display: grid;
    gap: 0.6rem;
  }
  [part='device-label'] {
    display: grid;
    gap: 0.2rem;
    font-size: 0.9rem;
  }
  select {
    font: inherit;
    padding: 0.35rem;
    border-radius: 6px;
  }
  [part='level'] {
    width: 100%;
    height: 0.9rem;
  }
  [part='heard'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  [part='verdicts'] {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.4rem;
  }
  [part='verdict'] {
    display: grid;
    grid-template-columns: 1.6rem 9rem 6.5rem 1fr;
    align-items: baseline;
    gap: 0.5rem;
    font-size: 0.92rem;
  }
  @media (max-width: 36rem) {
    [part='verdict'] {
      grid-template-columns: 1.6rem 1fr auto;
    }
    [part='verdict-text'] {
      grid-column: 2 / -1;
    }
  }
  [part='verdict-icon'] {
    display: inline-grid;
    place-items: center;
    width: 1.4rem;
    height: 1.4rem;
    border-radius: 50%;
    font-weight: 700;
    color: #fff;
    background: var(--_muted-text);
  }
  [data-status='ok'] [part='verdict-icon'] {
    background: var(--wd-color-ok, var(--_ok));
  }
  [data-status='warn'] [part='verdict-icon'] {
    background: var(--wd-color-warn, var(--_warn));
  }
  [data-status='fail'] [part='verdict-icon'] {
    background: var(--wd-color-danger, var(--_danger));
  }
  [part='verdict-name'] {
    font-weight: 600;
  }
  [data-status='fail'] [part='verdict-status'] {
    color: var(--wd-color-danger, var(--_danger));
    font-weight: 600;
  }
  [data-status='warn'] [part='verdict-status'] {
    color: var(--wd-color-warn, var(--_warn));
    font-weight: 600;
  }
  [part='summary'] {
    margin: 0;
    font-weight: 600;
  }
  [part='summary']:empty {
    display: none;
  }
  [part='start-button'] {
    justify-self: start;
  }
`;
