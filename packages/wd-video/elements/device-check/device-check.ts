import { LitElement, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import { LocalizeController, stringsConverter } from '../internal/localize.js';
import type { WdStateChangeEvent } from '../events.js';
import type { WdStrings } from '../internal/strings.js';
import { elementBase } from '../internal/styles.js';
import type { WdCheckStrings } from './check-strings.js';
import type { CheckRun } from './check-run.js';
import type { DeviceCheckResults } from './results.js';

type Panel = typeof import('./panel.js');
let loading: Promise<Panel> | undefined;
/** Everything but this shell is its own chunk: pages that never check never download it. */
const loadPanel = () => (loading ??= import('./panel.js'));

/**
 * A pre-call check: camera preview, a live microphone level, a speaker test
 * sound, and the network (sign-in, call server round trip, TURN relay and its
 * round trip), each ending in a verdict with what to do about a problem. Works
 * with attributes alone; inside `<wd-video-client>` it signs in as that client
 * does. The devices chosen here are the ones the next `<wd-call>` on the page
 * uses; when a call starts, the panel lets go of camera and microphone.
 *
 * @summary Check camera, microphone, speaker and network before a call.
 *
 * @csspart base - The whole panel.
 * @csspart title - The heading.
 * @csspart media - Preview and device controls.
 * @csspart preview - The camera preview `<video>`.
 * @csspart devices - The device choices, level meter and speaker test.
 * @csspart device-label - The label around each device `<select>`.
 * @csspart camera-select - Choose the camera.
 * @csspart microphone-select - Choose the microphone.
 * @csspart speaker-select - Choose the speaker (where the browser can).
 * @csspart level - The microphone level `<meter>`.
 * @csspart sound-button - Plays the test sound.
 * @csspart heard - "Did you hear it?" with `heard-button` and `not-heard-button`.
 * @csspart verdicts - The list of results.
 * @csspart verdict - One result (`data-item`: camera, microphone, speaker, signIn, signaling, relay; `data-status`: pending, ok, warn, fail, untested).
 * @csspart verdict-icon - Its status icon.
 * @csspart verdict-name - What was checked.
 * @csspart verdict-status - The status, as text.
 * @csspart verdict-text - What it found, or what to do.
 * @csspart summary - The overall result (a polite live region).
 * @csspart start-button - Starts the check, or runs it again.
 *
 * @cssprop --wd-color-ok - Status colour of a working item.
 * @cssprop --wd-color-warn - Status colour of an item that needs attention.
 * @cssprop --wd-color-danger - Status colour of a failed item.
 *
 * @fires wd-check-complete - Every item has a verdict (the speaker may still be `untested`): `detail.results`.
 */
export class WdDeviceCheck extends LitElement {
  static override styles = elementBase;

  /** The token service's sign-in URL for the network check; defaults to the enclosing `<wd-video-client>`'s. */
  @property({ attribute: 'auth-url' }) authUrl = '';
  /** The app's sign-in token; defaults to the enclosing `<wd-video-client>`'s. */
  @property() token = '';
  /** Development sign-in without a token (as on `<wd-video-client>`). */
  @property({ type: Boolean }) anonymous = false;
  /** The uid for anonymous sign-in (default: the client's, else a random `check-…`). */
  @property() uid = '';
  /** Start the check as soon as the panel shows (opens camera and microphone without a click). */
  @property({ type: Boolean }) autostart = false;
  /** Labels to override, e.g. `{"checkTitle": "Test your setup"}` (JSON in the attribute). */
  @property({ converter: stringsConverter }) strings: (Partial<WdStrings> & Partial<WdCheckStrings>) | undefined = undefined;
  /** `idle` (not started), `running`, or `done` (every item has a verdict). Read-only. */
  @property({ reflect: true }) state: 'idle' | 'running' | 'done' = 'idle';

  /** @internal Labels, for the view. */
  readonly i18n = new LocalizeController<WdCheckStrings>(this);
  /** @internal The current run, for the view. */
  @state() run: CheckRun | undefined = undefined;
  @state() private panel: Panel | undefined = undefined;

  /** What each item found so far (undefined before the first start()). */
  get results(): DeviceCheckResults | undefined {
    return this.run?.results;
  }

  // A call starting anywhere on the page takes the camera and microphone.
  private readonly onCallState = (e: WdStateChangeEvent) => {
    if (e.detail.state === 'preparing') this.run?.releaseMedia();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('wd-state-change', this.onCallState);
    void this.load().then(() => {
      if (this.autostart && this.isConnected && !this.run) void this.start();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('wd-state-change', this.onCallState);
    // Removed from the page: no camera light without the panel.
    this.run?.stop();
    this.run = undefined;
    this.state = 'idle';
  }

  /** Runs the check (again): opens camera and microphone, checks the network. Resolves when the automatic part is done. */
  async start(): Promise<void> {
    const panel = await this.load();
    this.run?.stop();
    const run = new panel.CheckRun(this);
    this.run = run;
    this.state = 'running';
    await run.start();
  }

  protected override render() {
    return this.panel ? this.panel.renderPanel(this) : html`<div part="base" aria-busy="true"></div>`;
  }

  private async load(): Promise<Panel> {
    const panel = await loadPanel();
    if (!this.panel) {
      this.panel = panel;
      panel.adopt(this);
    }
    return panel;
  }
}
