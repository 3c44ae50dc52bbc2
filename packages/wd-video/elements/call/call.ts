import { LitElement, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { WdCallState } from '../events.js';
import { ClientConsumer } from '../internal/client-consumer.js';
import { emit } from '../internal/emit.js';
import { LocalizeController, stringsConverter } from '../internal/localize.js';
import { SdkEventsController } from '../internal/sdk-events-controller.js';
import type { WdStrings } from '../internal/strings.js';
import type { CloseReason, Conversation, ConversationState, ConversationEvents, LocalStream, MediaStats, RemoteStream, ResponseStatus, VideoClient, WdVideoError } from '../internal/sdk.js';
import { deviceStyles } from './call-devices.styles.js';
import { styles } from './call.styles.js';
import { renderCall } from './call.view.js';
import { CallNoticeController } from './call-notice-controller.js';
import { DurationController } from './duration-controller.js';
import { LocalMediaController } from './local-media-controller.js';
import { PipController } from './pip-controller.js';
import { qualityOf } from './quality.js';
import { SpeakerController } from './speaker-controller.js';

/**
 * One call: places it, or takes an incoming one, and shows it with the remote
 * video large, your preview small and the in-call controls.
 *
 * @summary A one-to-one video call with its controls.
 *
 * @slot avatar - Shown for the other person while there is no remote video (default: their initial).
 * @slot actions - Extra buttons at the end of the control bar.
 *
 * @csspart base - The whole call.
 * @csspart stage - The video area.
 * @csspart remote-video - The other person's `<video>`.
 * @csspart local-video - Your preview `<video>`.
 * @csspart placeholder - Avatar and uid shown while there is no remote video.
 * @csspart avatar - The default avatar (the uid's initial).
 * @csspart remote-uid - The other person's uid, as text.
 * @csspart status-bar - State, duration and network quality over the video.
 * @csspart status - The call state as text (a polite live region).
 * @csspart signaling-status - Shown while the call service is unreachable during a call (`signaling-reconnecting`).
 * @csspart duration - The call duration, `m:ss`.
 * @csspart quality - The network-quality indicator (`data-level` 0-4).
 * @csspart quality-bar - One of the indicator's four bars.
 * @csspart controls - The control bar.
 * @csspart control - Every control button.
 * @csspart call-button - Places the call (idle).
 * @csspart accept-button - Accepts an incoming call handed to this element.
 * @csspart decline-button - Declines an incoming call handed to this element.
 * @csspart mute-button - Mutes / unmutes the microphone.
 * @csspart camera-button - Turns the camera off / on.
 * @csspart switch-camera-button - Switches to the next camera (shown with two or more).
 * @csspart share-button - Starts / stops screen sharing.
 * @csspart hangup-button - Cancels a ringing call or hangs up.
 * @csspart devices-button - Opens the device menu (camera, microphone, speaker) during a call.
 * @csspart device-menu - The device menu; `device-group`, `device-group-label` and `device-item` inside it.
 * @csspart pip-button - Picture in picture: keeps the call visible while you scroll or switch tabs.
 * @csspart device-error - What to do about a camera or microphone error (an alert).
 * @csspart device-notice - A device that changed by itself: unplugged, or a headset plugged in (a polite live region).
 *
 * @cssprop --wd-color-surface - Background of the control bar.
 * @cssprop --wd-color-text - Text colour.
 * @cssprop --wd-color-stage - Background of the video area.
 * @cssprop --wd-color-control - Background of control buttons.
 * @cssprop --wd-color-control-text - Icon colour of control buttons.
 * @cssprop --wd-color-control-active - Background of a pressed toggle (muted, camera off, sharing).
 * @cssprop --wd-color-control-active-text - Icon colour of a pressed toggle.
 * @cssprop --wd-color-accent - Call and accept buttons.
 * @cssprop --wd-color-danger - Hang-up and decline buttons.
 * @cssprop --wd-color-quality - Lit bars of the network indicator.
 * @cssprop --wd-focus-ring - Focus outline colour.
 * @cssprop --wd-radius - Corner radius.
 * @cssprop --wd-control-size - Size of control buttons.
 * @cssprop --wd-video-aspect-ratio - Aspect ratio of the video area (default 16 / 9).
 * @cssprop --wd-preview-width - Width of the local preview (default 28%).
 * @cssprop --wd-font-family - Font.
 *
 * @fires wd-response - The callee answered: `detail.status` is `ACCEPTED`, `REJECTED`, `BUSY`, `TIMEOUT` or `UNAVAILABLE`.
 * @fires wd-stream-received - Remote media arrived (`detail.stream`, a RemoteStream).
 * @fires wd-state-change - `state` changed (`detail.state`, `detail.previous`).
 * @fires wd-closed - The call ended (`detail.reason`: `hangup`, `rejected`, `busy`, `timeout`, …).
 * @fires wd-stats - Media statistics every 2 s (`detail.direction`, `detail.stats`, `detail.quality`).
 * @fires wd-error - Something failed: camera, permissions, the SDK (`detail.error`; camera and microphone failures have `device_*` codes).
 * @fires wd-device-change - The camera, microphone or speaker changed: chosen in the device menu, unplugged, or a headset followed (`detail.kind`, `deviceId`, `label`, `previous`, `reason`).
 */
export class WdCall extends LitElement {
  static override styles = [styles, deviceStyles];

  /** uid of the person to call. */
  @property({ attribute: 'remote-uid' }) remoteUid = '';

  /** Send media through the TURN relay only (`iceTransportPolicy: 'relay'`): hides your IP from the other side. */
  @property({ type: Boolean }) relay = false;

  /** User data sent with the invite; the callee sees it as text. Any JSON value as a property. */
  @property() data: unknown = undefined;

  /** Seconds to ring before giving up with `TIMEOUT` (0 = the SDK default, 30 s). */
  @property({ type: Number }) timeout = 0;

  /** Call with the microphone only. */
  @property({ type: Boolean, attribute: 'audio-only' }) audioOnly = false;

  /** Microphone muted. Set it before a call to start muted. */
  @property({ type: Boolean, reflect: true }) muted = false;

  /** Camera turned off. Set it before a call to start with the camera off. */
  @property({ type: Boolean, reflect: true, attribute: 'camera-off' }) cameraOff = false;

  /** Sharing the screen instead of the camera. Read-only: use `shareScreen()` / `stopScreenShare()`. */
  @property({ type: Boolean, reflect: true }) sharing = false;

  /**
   * Read-only. `preparing` while the camera and microphone open (the permission
   * prompt may be up), before a call is placed or accepted; `idle` with no call;
   * else the conversation's state: `calling`, `ringing`, `incoming`, `connecting`
   * (also while the SDK is `answering`), `connected` or `reconnecting`.
   */
  @property({ reflect: true }) state: WdCallState = 'idle';

  /**
   * Read-only. Set while a call is in progress and the connection to the call
   * service is down (the client is `reconnecting`): the media, peer to peer,
   * usually goes on; hang-up and the like are delivered once it is back.
   */
  @property({ type: Boolean, reflect: true, attribute: 'signaling-reconnecting' }) signalingReconnecting = false;

  /** Why the last call ended (`hangup`, `rejected`, `timeout`…), shown while idle. Read-only. */
  @property({ attribute: false }) lastReason: CloseReason | undefined = undefined;

  /** Camera and microphone to use (LocalStream or MediaStream); when unset the element opens its own for each call and closes it after. */
  @property({ attribute: false }) localStream: LocalStream | MediaStream | undefined = undefined;

  /** The call client; defaults to the one of the enclosing `<wd-video-client>`. */
  @property({ attribute: false }) client: VideoClient | undefined = undefined;

  /** Labels to override, e.g. `{"hangup": "End"}` (JSON in the attribute). */
  @property({ converter: stringsConverter }) strings: Partial<WdStrings> | undefined = undefined;

  /** Network quality 0 (unknown) … 4 (excellent), from the receive-side stats. */
  @state() quality = 0;

  @state() private remote: RemoteStream | undefined;
  private conv: Conversation | undefined;
  /** The camera/microphone request of the current start() or accept(); aborted when that call is off. */
  private preparing: AbortController | undefined;
  private lastRemoteStats: MediaStats | undefined;

  /** @internal Labels, for the view. */
  readonly i18n = new LocalizeController(this);
  /** @internal The call timer, for the view. */
  readonly duration = new DurationController(this);
  /** @internal Camera and microphone, for the view. */
  readonly media = new LocalMediaController(this, () => this.conv);
  /** @internal Picture-in-picture (reflected as the `pip` attribute while open). */
  readonly pip = new PipController(this);
  /** @internal Device errors and changes, for the view. */
  readonly notices = new CallNoticeController(this);
  /** @internal Plays the call on the chosen speaker (a controller: it acts on its own). */
  readonly speakers = new SpeakerController(this);

  // Re-render when the connection changes: the call button is enabled only while connected.
  private readonly clients = new ClientConsumer(this, { status: () => this.requestUpdate() });

  private readonly convEvents = new SdkEventsController<ConversationEvents>(this, {
    state: (s: ConversationState) => (s === 'closed' ? this.finish(this.conv?.closeReason) : this.sync()),
    closed: (reason: CloseReason) => this.finish(reason),
    response: (status: ResponseStatus) => emit(this, 'wd-response', { status }),
    stream_received: (stream: RemoteStream) => {
      this.remote = stream;
      emit(this, 'wd-stream-received', { stream });
    },
    error: (error: WdVideoError) => emit(this, 'wd-error', { error }),
    local_stats: (stats: MediaStats) => emit(this, 'wd-stats', { direction: 'local', stats, quality: this.quality }),
    remote_stats: (stats: MediaStats) => {
      this.quality = qualityOf(stats, this.lastRemoteStats);
      this.lastRemoteStats = stats;
      emit(this, 'wd-stats', { direction: 'remote', stats, quality: this.quality });
    },
  });

  /** The client in use: the `client` property, else the enclosing `<wd-video-client>`'s. */
  get activeClient(): VideoClient | undefined {
    return this.clients.active;
  }

  /** The conversation this element shows. Set it to hand over an incoming call, then call `accept()`. */
  @property({ attribute: false })
  get conversation(): Conversation | undefined {
    return this.conv;
  }
  set conversation(c: Conversation | undefined) {
    const old = this.conv;
    if (c === old) return;
    this.conv = c;
    this.convEvents.setTarget(c);
    this.remote = c?.remoteStream;
    this.lastRemoteStats = undefined;
    this.quality = 0;
    if (c?.state === 'closed') this.finish(c.closeReason);
    else {
      this.sync();
      if (c?.state === 'incoming') this.lastReason = undefined;
    }
    this.requestUpdate('conversation', old);
  }

  /** Places a call to `remote-uid`, opening the camera first unless `localStream` is set. Resolves once the invite is sent. */
  async start(): Promise<void> {
    const client = this.activeClient;
    if (!client) return this.fail(new Error('no client: put <wd-call> inside a <wd-video-client> or set its client property'));
    if (!this.remoteUid) return this.fail(new Error('no remote-uid to call'));
    if (this.conv) this.hangup();
    this.lastReason = undefined;
    let stream;
    try {
      stream = await this.prepare();
    } catch (error) {
      return this.abort(error as Error);
    }
    if (!stream) return; // hung up while the camera opened
    try {
      this.conversation = client.call(this.remoteUid, stream, {
        iceTransportPolicy: this.relay ? 'relay' : 'all',
        ...(this.data !== undefined && this.data !== null && this.data !== '' ? { data: this.data } : {}),
        ...(this.timeout > 0 ? { timeout: this.timeout * 1000 } : {}),
      });
    } catch (error) {
      this.abort(error as Error);
    }
  }

  /** Accepts the incoming conversation handed to this element, opening the camera first unless `localStream` is set. */
  async accept(): Promise<void> {
    const conv = this.conv;
    if (!conv || conv.state !== 'incoming') return;
    let stream;
    try {
      stream = await this.prepare();
    } catch (error) {
      conv.reject();
      return this.abort(error as Error);
    }
    if (!stream) return; // declined here, or cancelled by the caller, while the camera opened
    // Meanwhile the page handed over another call, or answered this one itself: this camera is not needed.
    if (conv !== this.conv || stateOf(conv) !== 'incoming') return this.abort();
    try {
      await conv.accept(stream);
    } catch (error) {
      // Refused while it still rings (a browser without WebRTC): no camera for a call not taken.
      if (conv === this.conv && stateOf(conv) === 'incoming') this.media.release();
      // An accept that lost the race with the caller's cancel ends as wd-closed, not an error.
      if (conv === this.conv && stateOf(conv) !== 'closed') emit(this, 'wd-error', { error: error as Error });
    }
  }

  /** Declines the incoming conversation handed to this element. */
  reject(): void {
    this.conv?.reject();
  }

  /** Cancels a ringing call or ends a live one. */
  hangup(): void {
    this.stopPreparing();
    this.conv?.close();
    this.sync();
  }

  /** Sends the screen instead of the camera (asks the browser which screen). */
  async shareScreen(): Promise<void> {
    // Closing the browser's screen picker is a choice, not an error.
    await this.mediaAction(() => this.media.startSharing(), (e) => e.name === 'NotAllowedError');
  }

  /** Goes back from the screen to the camera. */
  async stopScreenShare(): Promise<void> {
    await this.mediaAction(() => this.media.stopSharing());
  }

  /** Switches to the next camera. */
  async switchCamera(): Promise<void> {
    await this.mediaAction(() => this.media.switchCamera());
  }

  /**
   * Opens or closes picture-in-picture (a small always-on-top window with the
   * video and the mute, camera and hang-up buttons). Call it from a click: the
   * browser allows it only after a user gesture.
   */
  async togglePictureInPicture(): Promise<void> {
    await this.mediaAction(() => this.pip.toggle(), (e) => e.name === 'NotAllowedError');
  }

  /** A media control: its failure becomes `wd-error` (unless `quiet`), and `sharing` follows the stream. */
  private async mediaAction(action: () => Promise<void>, quiet: (e: Error) => boolean = () => false) {
    try {
      await action();
    } catch (error) {
      if (!quiet(error as Error)) emit(this, 'wd-error', { error: error as Error });
    }
    this.sharing = this.media.sharing;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Removed from the page (not just moved): no call may go on without its UI.
    queueMicrotask(() => {
      if (!this.isConnected) this.hangup();
    });
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('muted')) this.media.setMuted(this.muted);
    if (changed.has('cameraOff')) this.media.setCameraOff(this.cameraOff);
    this.sharing = this.media.sharing;
    this.signalingReconnecting = this.state !== 'idle' && this.activeClient?.status === 'reconnecting';
  }

  protected override render() {
    return renderCall(this);
  }

  /** @internal The remote media stream, for the view. */
  get remoteMedia(): MediaStream | undefined {
    return this.remote?.stream;
  }

  /**
   * Opens the camera and microphone for start() or accept(), showing `preparing`
   * meanwhile. Undefined when the call was off before they opened: then
   * whatever opened late is closed at once (no camera light without a call).
   */
  private async prepare(): Promise<LocalStream | undefined> {
    this.stopPreparing();
    const job = (this.preparing = new AbortController());
    this.sync();
    try {
      return await this.media.acquire(this.localStream, this.audioOnly, job.signal);
    } catch (error) {
      if (job.signal.aborted) return undefined;
      throw error;
    } finally {
      if (this.preparing === job) this.preparing = undefined;
    }
  }

  /** Abandons a pending camera request: what it still opens is closed at once. */
  private stopPreparing() {
    this.preparing?.abort();
    this.preparing = undefined;
  }

  /** The element's state follows the SDK's; `preparing` is the one state of its own. */
  private sync() {
    const s = this.conv?.state;
    this.setState(this.preparing ? 'preparing' : !s || s === 'closed' ? 'idle' : s === 'answering' ? 'connecting' : s);
  }

  private setState(next: WdCallState) {
    const previous = this.state;
    if (next === previous) return;
    this.state = next;
    if (next === 'connected') this.duration.start();
    emit(this, 'wd-state-change', { state: next, previous });
  }

  private finish(reason: CloseReason | undefined) {
    if (!this.conv) return;
    this.convEvents.setTarget(undefined);
    this.conv = undefined;
    this.remote = undefined;
    this.quality = 0;
    this.lastReason = reason;
    this.duration.stop();
    this.stopPreparing(); // the caller cancelled while our camera prompt was open
    this.media.release();
    this.sync();
    emit(this, 'wd-closed', { reason });
  }

  /** Back to idle before any conversation existed (camera refused, invalid arguments). */
  private abort(error?: Error) {
    this.media.release();
    this.sync();
    if (error) this.fail(error);
  }

  private fail(error: Error) {
    emit(this, 'wd-error', { error });
  }
}

/** Reads the state afresh: TypeScript keeps a narrowed `conv.state` across awaits. */
const stateOf = (c: Conversation): ConversationState => c.state;
