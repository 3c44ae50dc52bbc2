import { ContextProvider } from '@lit/context';
import { LitElement, html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { clientContext } from '../internal/context.js';
import { emit } from '../internal/emit.js';
import { markHandledByPage } from '../internal/incoming.js';
import { SdkEventsController } from '../internal/sdk-events-controller.js';
import { loadSdk, type ClientStatus, type Conversation, type VideoClientEvents, type VideoClient, type WdVideoError } from '../internal/sdk.js';
import { styles } from './video-client.styles.js';

/** Sign-in inputs; a change to any of them means a new client. */
const identity = ['authUrl', 'anonymous', 'uid', 'timeout'] as const;

/**
 * Signs in to the token service, connects, receives calls, and gives the
 * client to every `<wd-call>` and `<wd-incoming-call>` inside it.
 *
 * @summary The call client: sign-in and connection for the elements inside it.
 *
 * @slot - The page content: `<wd-call>`, `<wd-incoming-call>` and anything else.
 *
 * @fires wd-connected - Signed in and connected (again). `detail.uid` is who we are.
 * @fires wd-disconnected - The connection is gone and will not come back by itself (`detail.status`, `detail.previous`).
 * @fires wd-status-change - Any change of `status` (`detail.status`, `detail.previous`).
 * @fires wd-token-error - The token was refused or expired: set a fresh `token` (`detail.error`).
 * @fires wd-error - Sign-in or connection failed (`detail.error`).
 * @fires wd-incoming - A call comes in (`detail.conversation`). Cancelable: `preventDefault()` and the page answers it itself; `<wd-incoming-call>` stays quiet.
 */
export class WdVideoClient extends LitElement {
  static override styles = styles;

  /** URL of the token service's sign-in endpoint, e.g. `https://calls.example.com/v1/session`; relative URLs resolve against the page. */
  @property({ attribute: 'auth-url' }) authUrl = '';

  /** The app's sign-in token for the token service. Setting it on a live client re-signs in (after `wd-token-error`, or before expiry). */
  @property() token = '';

  /** Development sign-in without a token, under `uid` (only where the token service allows it). */
  @property({ type: Boolean }) anonymous = false;

  /** The uid for `anonymous` sign-in; a random `guest-…` uid when empty. */
  @property() uid = '';

  /** Seconds an outgoing call rings before it ends with `TIMEOUT` (0 = the SDK default, 30 s); a `<wd-call>`'s own `timeout` wins. */
  @property({ type: Number }) timeout = 0;

  /** The connection: `idle`, `connecting`, `connected`, `reconnecting`, `disconnected` or `error`. Read-only. */
  @property({ reflect: true }) status: ClientStatus = 'idle';

  private videoClient: VideoClient | undefined;
  private guestUid: string | undefined;
  private run = 0;
  private readonly provider = new ContextProvider(this, { context: clientContext, initialValue: undefined });

  private readonly events = new SdkEventsController<VideoClientEvents>(this, {
    status: (status: ClientStatus) => this.setStatus(status),
    token_error: (error: WdVideoError) => emit(this, 'wd-token-error', { error }),
    error: (error: WdVideoError) => emit(this, 'wd-error', { error }),
    called: (conversation: Conversation) => {
      if (!emit(this, 'wd-incoming', { conversation }, { cancelable: true })) markHandledByPage(conversation);
    },
  });

  /** The SDK client (undefined until the SDK has loaded and sign-in inputs are complete). */
  get client(): VideoClient | undefined {
    return this.videoClient;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Reconnected after a removal that tore the client down.
    if (this.hasUpdated && !this.videoClient) void this.open();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A move in the DOM disconnects and reconnects in one task: only a real removal closes the client.
    queueMicrotask(() => {
      if (!this.isConnected) void this.shutdown();
    });
  }

  // willUpdate, not updated: open() sets `status` synchronously, which must not schedule a second render.
  protected override willUpdate(changed: PropertyValues<this>): void {
    if (identity.some((k) => changed.has(k))) void this.open();
    else if (changed.has('token')) {
      if (this.token && this.videoClient) {
        // Failures arrive as the client's token_error / error events.
        this.videoClient.setToken(this.token).catch(() => {});
      } else void this.open();
    }
  }

  protected override render() {
    return html`<slot></slot>`;
  }

  /** Signs in again with the current attributes (after `wd-disconnected` or an error). */
  async reconnect(): Promise<void> {
    await this.open();
  }

  private async open(): Promise<void> {
    const run = ++this.run;
    await this.closeClient();
    const signIn = this.token
      ? { token: this.token }
      : this.anonymous
        ? { anonymous: { uid: this.uid || (this.guestUid ??= `guest-${Math.random().toString(36).slice(2, 10)}`) } }
        : undefined;
    if (!this.authUrl || !signIn || !this.isConnected) return;
    this.setStatus('connecting'); // loading the SDK is part of connecting
    let sdk;
    try {
      sdk = await loadSdk();
    } catch (error) {
      if (run === this.run) this.fail(error as Error);
      return;
    }
    if (run !== this.run) return; // inputs changed while the SDK loaded
    let client: VideoClient;
    try {
      client = new sdk.VideoClient({ authUrl: this.authUrl, ...signIn, ...(this.timeout > 0 ? { timeout: this.timeout * 1000 } : {}) });
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    this.videoClient = client;
    this.events.setTarget(client); // before descendants see it: wd-incoming must come first
    this.provider.setValue(client);
    if (client.status !== 'idle') this.setStatus(client.status);
    try {
      await client.start();
    } catch {
      // The client reported it already: `error` / `token_error` events and status `error`.
    }
    if (run === this.run) this.setStatus(client.status);
  }

  private fail(error: Error) {
    this.setStatus('error');
    emit(this, 'wd-error', { error });
  }

  private async closeClient() {
    const old = this.videoClient;
    if (!old) return;
    this.videoClient = undefined;
    this.events.setTarget(undefined);
    this.provider.setValue(undefined);
    this.setStatus('idle');
    await old.close().catch(() => {});
  }

  private async shutdown() {
    this.run++;
    await this.closeClient();
  }

  private setStatus(status: ClientStatus) {
    const previous = this.status;
    if (status === previous) return;
    this.status = status;
    emit(this, 'wd-status-change', { status, previous });
    if (status === 'connected') emit(this, 'wd-connected', { uid: this.videoClient?.uid ?? this.uid });
    if (status === 'disconnected' && previous !== 'idle') emit(this, 'wd-disconnected', { status, previous });
  }
}
