import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Counts the call's duration from `start()` and re-renders the host once a second while it runs. */
export class DurationController implements ReactiveController {
  private since = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  get running(): boolean {
    return this.since > 0;
  }

  /** Whole seconds since `start()`. */
  get seconds(): number {
    return this.since ? Math.floor((Date.now() - this.since) / 1000) : 0;
  }

  /** `m:ss`, or `h:mm:ss` past an hour. */
  get text(): string {
    const s = this.seconds;
    const two = (n: number) => String(n).padStart(2, '0');
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return h ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
  }

  start(): void {
    if (this.since) return;
    this.since = Date.now();
    this.tick();
  }

  stop(): void {
    this.since = 0;
    this.untick();
    this.host.requestUpdate();
  }

  hostConnected(): void {
    if (this.since) this.tick();
  }

  hostDisconnected(): void {
    this.untick();
  }

  private tick() {
    this.untick();
    this.timer = setInterval(() => this.host.requestUpdate(), 1000);
    this.host.requestUpdate();
  }

  private untick() {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
