import { LitElement, html, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import '../call/wd-call.js'; // rendered for Call back when there is no `for` target
import type { WdCall } from '../call/call.js';
import { ClientConsumer } from '../internal/client-consumer.js';
import { callTarget } from '../internal/call-target.js';
import { emit } from '../internal/emit.js';
import { LocalizeController, stringsConverter } from '../internal/localize.js';
import type { WdStrings } from '../internal/strings.js';
import type { CallRecord, ClientStatus, VideoClient } from '../internal/sdk.js';
import { elementBase } from '../internal/styles.js';
import type { WdHistoryStrings } from './history-strings.js';

type Panel = typeof import('./panel.js');
let loading: Promise<Panel> | undefined;
/** The template, styles and labels are their own chunk: pages without a history never download them. */
const loadPanel = () => (loading ??= import('./panel.js'));

/**
 * The signed-in user's recent calls, newest first, missed ones marked, each
 * with a Call back button. Loads when its client is connected and adds each
 * call as it ends (on any of the user's devices). Call back places the call with the `<wd-call>` named
 * by `for`, or shows its own `<wd-call>`.
 *
 * @summary Call history and missed calls.
 *
 * @csspart base - The whole list's box (`<section>`).
 * @csspart title - "Recent calls".
 * @csspart mark-seen-button - Marks every call seen.
 * @csspart list - The `<ul>` of calls.
 * @csspart item - One call (`<li>`); also `missed` and `unseen` on missed calls the user has not marked seen.
 * @csspart peer - Who called, or was called, as text.
 * @csspart time - When (`<time>`).
 * @csspart outcome - How it ended, and the duration of answered calls.
 * @csspart data - The caller's data, as text.
 * @csspart call-back-button - Calls that person back.
 * @csspart empty - Shown when there is no call, or the history cannot be loaded.
 * @csspart call - The `<wd-call>` shown by Call back when there is no `for` target.
 *
 * @cssprop --wd-color-surface - Background.
 * @cssprop --wd-color-text - Text colour.
 * @cssprop --wd-color-muted-text - Times and data.
 * @cssprop --wd-color-danger - Missed calls.
 * @cssprop --wd-color-accent - Call back button.
 * @cssprop --wd-focus-ring - Focus outline colour.
 * @cssprop --wd-radius - Corner radius.
 * @cssprop --wd-font-family - Font.
 *
 * @fires wd-missed-call - A missed call arrived while signed in (`detail.record`).
 * @fires wd-call-back - Call back was chosen (`detail.uid`, `detail.call`: the `<wd-call>` that places it).
 */
export class WdCallHistory extends LitElement {
  static override styles = elementBase;

  /** id of the `<wd-call>` (in the same document or shadow root) that places calls back. */
  @property({ attribute: 'for' }) htmlFor = '';

  /** Only missed calls. */
  @property({ type: Boolean, attribute: 'missed-only' }) missedOnly = false;

  /** How many calls to show (1 to 200). */
  @property({ type: Number }) limit = 20;

  /** `loading`, `ready` or `unavailable` (no history service). Read-only. */
  @property({ reflect: true }) state: 'idle' | 'loading' | 'ready' | 'unavailable' = 'idle';

  /** The call client; defaults to the one of the enclosing `<wd-video-client>`. */
  @property({ attribute: false }) client: VideoClient | undefined = undefined;

  /** Labels to override, e.g. `{"callBack": "Ring back"}` (JSON in the attribute). */
  @property({ converter: stringsConverter }) strings: (Partial<WdStrings> & Partial<WdHistoryStrings>) | undefined = undefined;

  /** The calls shown, newest first. Read-only. */
  @state() records: CallRecord[] = [];
  /** @internal Whom this element's own `<wd-call>` calls back. */
  @state() ownCallUid = '';

  /** @internal Labels, for the view. */
  readonly i18n = new LocalizeController<WdHistoryStrings>(this);
  @state() private panel: Panel | undefined = undefined;
  private loadedFor: VideoClient | undefined;

  private readonly clients = new ClientConsumer(this, {
    status: (s: ClientStatus) => {
      if (s === 'connected' && this.state !== 'loading') void this.refresh();
    },
    // Every call of ours that ends arrives as it is stored (call_record), so the list stays current
    // without a reload; a missed one also comes as missed_call (in either order), announced once.
    call_record: (r: CallRecord) => this.show(r),
    missed_call: (r: CallRecord) => {
      this.show(r);
      if (this.announced.has(r.callId)) return;
      this.announced.add(r.callId);
      if (this.announced.size > 200) this.announced.delete(this.announced.values().next().value!);
      emit(this, 'wd-missed-call', { record: r });
    },
  });
  private readonly announced = new Set<string>();

  /** Adds a record that arrived live, in time order, unless it is shown already or filtered out. */
  private show(r: CallRecord) {
    if (this.missedOnly && r.outcome !== 'missed') return;
    if (this.records.some((x) => x.callId === r.callId && x.direction === r.direction)) return;
    this.records = [...this.records, r].sort((a, b) => b.at - a.at).slice(0, this.limit);
  }

  /** The client in use: the `client` property, else the enclosing `<wd-video-client>`'s. */
  get activeClient(): VideoClient | undefined {
    return this.clients.active;
  }

  /** Loads the history again. */
  async refresh(): Promise<void> {
    const client = this.activeClient;
    if (!client) return;
    this.loadedFor = client;
    this.state = 'loading';
    try {
      const limit = Math.min(200, Math.max(1, Math.floor(this.limit) || 20));
      const records = await client.history({ limit, ...(this.missedOnly ? { missedOnly: true } : {}) });
      if (client !== this.activeClient) return;
      this.records = records;
      this.state = 'ready';
    } catch {
      if (client === this.activeClient) this.state = 'unavailable';
    }
  }

  /** Marks every call seen (the missed marks go). */
  async markAllSeen(): Promise<void> {
    const client = this.activeClient;
    if (!client) return;
    await client.markSeen();
    this.records = this.records.map((r) => ({ ...r, seen: true }));
  }

  /** Calls `uid` back: with the `for` target's `<wd-call>`, else with this element's own. */
  async callBack(uid: string): Promise<void> {
    let call = this.target();
    if (!call) {
      this.ownCallUid = uid;
      await this.updateComplete;
      call = this.renderRoot.querySelector('wd-call')!;
    }
    emit(this, 'wd-call-back', { uid, call });
    call.remoteUid = uid;
    await call.start();
  }

  /** @internal Called by the view when the own `<wd-call>` has ended. */
  ownCallEnded(): void {
    this.ownCallUid = '';
  }

  protected override updated(changed: PropertyValues): void {
    const client = this.activeClient;
    if (client && client !== this.loadedFor && client.status === 'connected') void this.refresh();
    else if (this.loadedFor && (changed.has('missedOnly') || changed.has('limit'))) void this.refresh();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void loadPanel().then((panel) => {
      if (this.panel) return;
      this.panel = panel;
      panel.adopt(this);
    });
  }

  protected override render() {
    return this.panel ? this.panel.renderHistory(this) : html`<section part="base" aria-busy="true"></section>`;
  }

  private target(): WdCall | undefined {
    return callTarget(this, this.htmlFor);
  }
}
