import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveElement } from 'lit';
import { clientContext } from './context.js';
import type { VideoClient, VideoClientEvents } from './sdk.js';
import { SdkEventsController } from './sdk-events-controller.js';

/** An element that takes a client: its own `client` property, else its `<wd-video-client>`'s. */
type ClientHost = ReactiveElement & { client: VideoClient | undefined };

/**
 * The client an element uses, and its events: the element's `client` property
 * when set, else the one the enclosing `<wd-video-client>` provides through
 * context. `handlers` listen to whichever client that is, moving along when it
 * changes; the host re-renders on a change.
 */
export class ClientConsumer implements ReactiveController {
  private fromContext: VideoClient | undefined;
  private readonly events: SdkEventsController<VideoClientEvents>;

  constructor(
    private readonly host: ClientHost,
    handlers: { [K in keyof VideoClientEvents]?: VideoClientEvents[K] },
  ) {
    host.addController(this);
    this.events = new SdkEventsController<VideoClientEvents>(host, handlers);
    new ContextConsumer(host, {
      context: clientContext,
      subscribe: true,
      callback: (c) => {
        this.fromContext = c;
        host.requestUpdate();
      },
    });
  }

  /** The client in use. */
  get active(): VideoClient | undefined {
    return this.host.client ?? this.fromContext;
  }

  /** Before each render: listen to the client in use (a no-op when unchanged). */
  hostUpdate(): void {
    this.events.setTarget(this.active);
  }
}
