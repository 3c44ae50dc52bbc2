// Moments when a page's signaling connection may have died without a word:
// the tab became visible again (its timers were throttled, nats.ws's pings
// with them), the network came back, the page returned from the back/forward
// cache or from a freeze, or the clock jumped (the laptop slept). The client
// then checks liveness at once instead of waiting for a throttled ping timer.

export type WakeReason = 'visible' | 'online' | 'pageshow' | 'resume' | 'clock_jump';

/** How often the clock-jump detector ticks, and how late a tick must be to count as a jump (sleep or freeze). */
const TICK_MS = 2000;
const JUMP_MS = 3000;

/** Calls `onWake` on each such moment; returns a function that stops watching. No-op outside a browser page. */
export function watchPageLifecycle(onWake: (reason: WakeReason) => void): () => void {
  if (typeof window === 'undefined' || typeof document === 'undefined') return () => {};
  const visible = () => document.visibilityState === 'visible' && onWake('visible');
  const online = () => onWake('online');
  const pageshow = (e: PageTransitionEvent) => e.persisted && onWake('pageshow');
  // Page Lifecycle API (Chromium): a frozen page, e.g. a background tab or DevTools' Page.setWebLifecycleState.
  const resume = () => onWake('resume');
  document.addEventListener('visibilitychange', visible);
  window.addEventListener('online', online);
  window.addEventListener('pageshow', pageshow);
  document.addEventListener('resume', resume);
  // Wall-clock time runs on through a sleep while timers do not: a tick far
  // later than asked for means the machine (or the page) was asleep. Hidden
  // tabs' timers are throttled to a minute too; a spare liveness ping then is cheap.
  let last = Date.now();
  const tick = setInterval(() => {
    const now = Date.now();
    if (now - last > TICK_MS + JUMP_MS) onWake('clock_jump');
    last = now;
  }, TICK_MS);
  return () => {
    document.removeEventListener('visibilitychange', visible);
    window.removeEventListener('online', online);
    window.removeEventListener('pageshow', pageshow);
    document.removeEventListener('resume', resume);
    clearInterval(tick);
  };
}
