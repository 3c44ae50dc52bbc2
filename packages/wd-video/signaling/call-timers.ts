// The timers calls own (ring timeouts, the ICE bound and restarts, the stats
// interval, candidate batching), set and cleared through one place per
// client, so `client.diagnostics.callTimers` can say how many are live. When
// no call is in progress it is 0: a timer that outlives its call is a leak
// (it keeps the ended call, its peer connection and its streams reachable).
// A handle set costs one Set entry while it runs; nothing else is kept.

export type TimerHandle = ReturnType<typeof setTimeout>;

export class CallTimers {
  private readonly live = new Set<TimerHandle>();

  /** `changed` hears the number of live timers after each change (the client's diagnostics). */
  constructor(private readonly changed: (live: number) => void = () => {}) {}

  /** How many timers calls hold now. */
  get count(): number {
    return this.live.size;
  }

  /** setTimeout, counted until it fires or is cleared. */
  timeout(fn: () => void, ms?: number): TimerHandle {
    const h: TimerHandle = setTimeout(() => {
      this.drop(h);
      fn();
    }, ms);
    this.add(h);
    return h;
  }

  /** setInterval, counted until cleared. */
  interval(fn: () => void, ms: number): TimerHandle {
    const h: TimerHandle = setInterval(fn, ms);
    this.add(h);
    return h;
  }

  /** Clears a handle of either kind (undefined, or one already done, is fine). */
  clear(h: TimerHandle | undefined) {
    if (h === undefined) return;
    // Browsers share one id space for both kinds, but say what we mean.
    clearTimeout(h);
    clearInterval(h);
    this.drop(h);
  }

  private add(h: TimerHandle) {
    this.live.add(h);
    this.changed(this.live.size);
  }

  private drop(h: TimerHandle) {
    if (this.live.delete(h)) this.changed(this.live.size);
  }
}
