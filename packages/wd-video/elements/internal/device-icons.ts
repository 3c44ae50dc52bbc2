import { svg } from 'lit';
import { icon } from './icons.js';

// Icons of the device menu and picture-in-picture (same style as icons.ts).
export const deviceIcons = {
  /** Sliders: the device menu. */
  devices: icon(svg`<path d="M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12M20 18h0"/><circle cx="16" cy="6" r="2"/><circle cx="10" cy="12" r="2"/><circle cx="18" cy="18" r="2"/>`),
  /** A small window inside a screen. */
  pip: icon(svg`<rect x="2" y="4" width="20" height="16" rx="2"/><rect x="12" y="11" width="8" height="7" rx="1"/>`),
  check: icon(svg`<path d="M5 12l5 5 9-10"/>`),
};
