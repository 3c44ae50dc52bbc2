import type { ReactiveController, ReactiveControllerHost } from 'lit';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (...args: any[]) => void;

/** What the controller needs from an SDK emitter. */
export interface Subscribable<E> {
  on<K extends keyof E>(event: K, listener: E[K]): unknown;
  off<K extends keyof E>(event: K, listener?: E[K]): unknown;
}

/**
 * Bridges an SDK emitter's events to its host: listens while the host is in the
 * document (subscribes in `hostConnected`, unsubscribes in `hostDisconnected`)
 * and moves its listeners when the host points it at another emitter.
 */
export class SdkEventsController<E extends { [K in keyof E]: Listener }> implements ReactiveController {
  private target: Subscribable<E> | undefined;
  private connected = false;
  private bound = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly handlers: { [K in keyof E]?: E[K] },
  ) {
    host.addController(this);
  }

  get current(): Subscribable<E> | undefined {
    return this.target;
  }

  /** Listens to `target` instead (or to nothing). */
  setTarget(target: Subscribable<E> | undefined): void {
    if (target === this.target) return;
    this.unbind();
    this.target = target;
    if (this.connected) this.bind();
  }

  hostConnected(): void {
    this.connected = true;
    this.bind();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.unbind();
  }

  private bind() {
    if (this.bound || !this.target) return;
    this.bound = true;
    this.each((event, fn) => this.target!.on(event, fn));
  }

  private unbind() {
    if (!this.bound || !this.target) return;
    this.bound = false;
    this.each((event, fn) => this.target!.off(event, fn));
  }

  private each(fn: <K extends keyof E>(event: K, listener: E[K]) => void) {
    for (const event of Object.keys(this.handlers) as (keyof E)[]) {
      const listener = this.handlers[event];
      if (listener) fn(event, listener);
    }
  }
}
