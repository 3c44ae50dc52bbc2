import { css } from 'lit';
import { elementBase } from '../internal/styles.js';

export const styles = [
  ...elementBase,
  css`
    :host {
      --_quality: #3ccf6e;
    }
    [part='base'] {
      display: flex;
      flex-direction: column;
      border-radius: var(--wd-radius, 12px);
      overflow: hidden;
      background: var(--wd-color-surface, var(--_surface));
    }
    [part='stage'] {
      position: relative;
      aspect-ratio: var(--wd-video-aspect-ratio, 16 / 9);
      background: var(--wd-color-stage, var(--_stage));
      color: #fff;
      overflow: hidden;
    }
    [part='remote-video'] {
      position: absolute;
      inset: 0;
      width: 100%;
      height: 100%;
      object-fit: contain;
    }
    [part='placeholder'] {
      position: absolute;
      inset: 0;
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
      gap: 0.5rem;
    }
    [part='avatar'] {
      display: grid;
      place-items: center;
      width: 4.5rem;
      height: 4.5rem;
      border-radius: 50%;
      background: #3a4452;
      font-size: 2rem;
      font-weight: 600;
    }
    [part='remote-uid'] {
      font-size: 1.1rem;
      max-width: 90%;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    [part='local-video'] {
      position: absolute;
      right: 0.75rem;
      bottom: 0.75rem;
      width: var(--wd-preview-width, 28%);
      aspect-ratio: 4 / 3;
      object-fit: cover;
      border-radius: calc(var(--wd-radius, 12px) / 1.5);
      border: 2px solid rgb(255 255 255 / 0.6);
      background: #000;
      /* A mirror is what people expect of their own camera; a shared screen must read normally. */
      transform: scaleX(-1);
    }
    [part='local-video'].screen {
      transform: none;
      object-fit: contain;
    }
    [part='status-bar'] {
      position: absolute;
      top: 0.75rem;
      left: 0.75rem;
      display: flex;
      align-items: center;
      gap: 0.6rem;
      padding: 0.3rem 0.7rem;
      border-radius: 999px;
      background: rgb(0 0 0 / 0.6);
      color: #fff;
      font-size: 0.9rem;
    }
    [part='status']:empty {
      display: none;
    }
    [part='duration'] {
      font-variant-numeric: tabular-nums;
    }
    [part='quality'] {
      display: inline-flex;
      align-items: flex-end;
      gap: 2px;
      height: 0.9rem;
    }
    [part='quality-bar'] {
      width: 4px;
      border-radius: 1px;
      background: rgb(255 255 255 / 0.35);
    }
    [part='quality-bar']:nth-child(1) { height: 25%; }
    [part='quality-bar']:nth-child(2) { height: 50%; }
    [part='quality-bar']:nth-child(3) { height: 75%; }
    [part='quality-bar']:nth-child(4) { height: 100%; }
    [part='quality-bar'].on {
      background: var(--wd-color-quality, var(--_quality));
    }
    [part='quality'][data-level='1'] [part='quality-bar'].on {
      background: #ff8a7a;
    }
    [part='controls'] {
      display: flex;
      flex-wrap: wrap;
      justify-content: center;
      gap: 0.6rem;
      padding: 0.75rem;
    }
  `,
];
