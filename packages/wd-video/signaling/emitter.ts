// A tiny typed emitter: `Events` maps each event name to its listener type.
// A throwing listener is reported, never breaks the SDK's own state handling.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (...args: any[]) => void;

export class Emitter<Events extends { [K in keyof Events]: Listener }> {
  private listeners = new Map<keyof Events, Set<Listener>>();

  on<K extends keyof Events>(event: K, listener: Events[K]): this {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return this;
  }

  once<K extends keyof Events>(event: K, listener: Events[K]): this {
    const wrapped = ((...args: unknown[]) => {
      this.off(event, wrapped as Events[K]);
      listener(...args);
    }) as Events[K];
    return this.on(event, wrapped);
  }

  /** Without a listener, removes every listener of `event`. */
  off<K extends keyof Events>(event: K, listener?: Events[K]): this {
    if (listener) this.listeners.get(event)?.delete(listener);
    else this.listeners.delete(event);
    return this;
  }

  /** How many listeners `event` has (a source may listen upstream only while someone listens here). */
  protected listenerCount(event: keyof Events): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  protected emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): void {
    for (const l of [...(this.listeners.get(event) ?? [])]) {
      try {
        l(...args);
      } catch (e) {
        // A bug in app code must not stop the call; surface it where devtools show it.
        setTimeout(() => {
          throw e;
        });
      }
    }
  }
}
