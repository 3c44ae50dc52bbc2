import { LitElement, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import '../call/wd-call.js'; // rendered when there is no `for` target
import type { WdCall } from '../call/call.js';
import { ClientConsumer } from '../internal/client-consumer.js';
import { callTarget } from '../internal/call-target.js';
import { emit } from '../internal/emit.js';
import { isHandledByPage } from '../internal/incoming.js';
import { LocalizeController, stringsConverter } from '../internal/localize.js';
import { SdkEventsController } from '../internal/sdk-events-controller.js';
import type { WdStrings } from '../internal/strings.js';
import { isLive, isRinging, type CloseReason, type Conversation, type ConversationState, type ConversationEvents, type VideoClient } from '../internal/sdk.js';
import { styles } from './incoming-call.styles.js';
import { renderIncoming } from './incoming-call.view.js';

/**
 * Rings when a call comes in: who calls, what they sent, Accept and Decline.
 * Goes away by itself when the caller cancels, the call times out or another
 * device answers. Accept hands the call to the `<wd-call>` named by `for`, or
 * shows its own `<wd-call>`.
 *
 * @summary The incoming-call dialog.
 *
 * @slot avatar - The caller's picture (default: their initial).
 * @slot actions - Extra buttons beside Accept and Decline.
 *
 * @csspart dialog - The dialog box (`role="alertdialog"`).
 * @csspart avatar - The default avatar.
 * @csspart title - "Incoming call".
 * @csspart caller - Who is calling, as text.
 * @csspart data - The caller's data, as text.
 * @csspart actions - The button row.
 * @csspart accept-button - Accepts the call.
 * @csspart decline-button - Declines the call.
 * @csspart ringtone - The `<audio>` that plays `ringtone`.
 * @csspart call - The `<wd-call>` shown after Accept when there is no `for` target.
 *
 * @cssprop --wd-color-surface - Dialog background.
 * @cssprop --wd-color-text - Text colour.
 * @cssprop --wd-color-muted-text - Colour of the caller's data.
 * @cssprop --wd-color-accent - Accept button.
 * @cssprop --wd-color-danger - Decline button.
 * @cssprop --wd-focus-ring - Focus outline colour.
 * @cssprop --wd-radius - Corner radius.
 * @cssprop --wd-shadow - Dialog shadow.
 * @cssprop --wd-z-index - Stacking order of the dialog (default 1000).
 * @cssprop --wd-control-size - Height of the buttons.
 * @cssprop --wd-font-family - Font.
 *
 * @fires wd-ring - A call rings here (`detail.conversation`).
 * @fires wd-accept - Accept was chosen (`detail.conversation`, `detail.call`: the `<wd-call>` that takes it).
 * @fires wd-decline - Decline was chosen (`detail.conversation`).
 * @fires wd-closed - The ringing call went away without an answer here (`detail.reason`: `cancelled`, `timeout`, `answered_elsewhere`…).
 */
export class WdIncomingCall extends LitElement {
  static override styles = styles;

  /** id of the `<wd-call>` (in the same document or shadow root) that takes accepted calls. */
  @property({ attribute: 'for' }) htmlFor = '';

  /** URL of a sound to loop while ringing. */
  @property() ringtone = '';

  /** `idle`, `ringing`, or `in-call` (its own `<wd-call>` shows an accepted call). Read-only. */
  @property({ reflect: true }) state: 'idle' | 'ringing' | 'in-call' = 'idle';

  /** The call client; defaults to the one of the enclosing `<wd-video-client>`. */
  @property({ attribute: false }) client: VideoClient | undefined = undefined;

  /** Labels to override, e.g. `{"accept": "Answer"}` (JSON in the attribute). */
  @property({ converter: stringsConverter }) strings: Partial<WdStrings> | undefined = undefined;

  /** @internal The accepted call shown by this element's own `<wd-call>`. */
  @state() ownCall: Conversation | undefined;
  @query('[part=dialog]') private dialog!: HTMLElement;
  @query('[part=ringtone]') private audio!: HTMLAudioElement;

  private conv: Conversation | undefined;
  private returnFocus: HTMLElement | undefined;
  /** @internal Labels, for the view. */
  readonly i18n = new LocalizeController(this);

  private readonly clients = new ClientConsumer(this, {
    called: (c: Conversation) => {
      if (!isHandledByPage(c) && !this.conv) this.conversation = c;
    },
    // Accept chosen on the call's notification (Web Push, or a hidden tab's own): as if clicked here.
    notification_accept: (c: Conversation) => {
      if (c === this.conv) void this.accept();
    },
  });

  private readonly convEvents = new SdkEventsController<ConversationEvents>(this, {
    state: (s: ConversationState) => {
      if (s === 'closed') this.dismiss(this.conv?.closeReason);
      else if (isLive(s)) this.dismiss(undefined, false); // taken by another element in this tab
    },
    closed: (reason: CloseReason) => this.dismiss(reason),
  });

  /** The client in use: the `client` property, else the enclosing `<wd-video-client>`'s. */
  get activeClient(): VideoClient | undefined {
    return this.clients.active;
  }

  /** The ringing conversation. Set it yourself to ring for a call you got elsewhere (e.g. after cancelling `wd-incoming`). */
  @property({ attribute: false })
  get conversation(): Conversation | undefined {
    return this.conv;
  }
  set conversation(c: Conversation | undefined) {
    if (c === this.conv) return;
    if (c && (c.direction !== 'incoming' || !isRinging(c.state))) c = undefined; // ours, closed or answered already: nothing to ring for
    this.conv = c;
    this.convEvents.setTarget(c);
    if (c) {
      this.state = 'ringing';
      emit(this, 'wd-ring', { conversation: c });
      void this.ring();
    } else this.stopRinging();
  }

  /** Accepts the ringing call and hands it to the `for` target or to this element's own `<wd-call>`. */
  async accept(): Promise<void> {
    const conv = this.conv;
    if (!conv || !isRinging(conv.state)) return;
    this.release();
    let call = this.target();
    if (!call) {
      this.ownCall = conv;
      this.state = 'in-call';
      await this.updateComplete;
      call = this.renderRoot.querySelector('wd-call')!;
    }
    emit(this, 'wd-accept', { conversation: conv, call });
    call.conversation = conv;
    await call.accept();
  }

  /** Declines the ringing call. */
  decline(): void {
    const conv = this.conv;
    if (!conv) return;
    this.release();
    emit(this, 'wd-decline', { conversation: conv });
    conv.reject();
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('ringtone') && this.state === 'ringing') void this.playRingtone();
  }

  protected override render() {
    return renderIncoming(this, this.conv);
  }

  /** @internal Called by the view when the own `<wd-call>` has ended. */
  ownCallEnded(): void {
    this.ownCall = undefined;
    if (this.state === 'in-call') this.state = this.conv ? 'ringing' : 'idle';
  }

  /** @internal Keyboard: Escape declines. */
  onKeydown(e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      e.preventDefault();
      this.decline();
    }
  }

  private target(): WdCall | undefined {
    return callTarget(this, this.htmlFor);
  }

  private async ring() {
    const active = deepActiveElement();
    this.returnFocus = active instanceof HTMLElement && !this.contains(active) ? active : undefined;
    await this.updateComplete;
    if (this.state !== 'ringing') return;
    this.dialog.focus();
    await this.playRingtone();
  }

  private async playRingtone() {
    if (!this.ringtone || !this.audio) return;
    try {
      this.audio.currentTime = 0;
      await this.audio.play();
    } catch {
      // Autoplay refused before any user gesture on the page: ring silently.
    }
  }

  /** Stops ringing for the current conversation without touching it. */
  private release() {
    this.convEvents.setTarget(undefined);
    this.conv = undefined;
    this.stopRinging();
  }

  private dismiss(reason: CloseReason | undefined, notify = true) {
    if (!this.conv) return;
    this.release();
    if (notify) emit(this, 'wd-closed', { reason });
  }

  private stopRinging() {
    if (this.state === 'ringing') this.state = this.ownCall ? 'in-call' : 'idle';
    this.audio?.pause();
    const back = this.returnFocus;
    this.returnFocus = undefined;
    // Give focus back only if it is still in the dialog (the user may have moved on).
    if (back && this.shadowRoot?.activeElement) back.focus();
    this.requestUpdate();
  }
}

function deepActiveElement(): Element | null {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}
