import { render, type ReactiveController } from 'lit';
import type { WdCall } from './call.js';

type PipView = typeof import('./pip.view.js');
let viewLoading: Promise<PipView> | undefined;
/** The window's template and styles are their own chunk; the window itself opens at once (it needs the click's user gesture). */
const loadView = () => (viewLoading ??= import('./pip.view.js'));

interface DocumentPip {
  requestWindow(options?: { width?: number; height?: number }): Promise<Window>;
  readonly window: Window | null;
}
/** Media Session actions a video conference uses in the browser's own PiP window (Chromium). */
type CallAction = 'hangup' | 'togglemicrophone' | 'togglecamera';
interface CallMediaSession {
  setActionHandler(action: CallAction, handler: (() => void) | null): void;
  setMicrophoneActive?(active: boolean): void;
  setCameraActive?(active: boolean): void;
}

const documentPip = (): DocumentPip | undefined => (globalThis as { documentPictureInPicture?: DocumentPip }).documentPictureInPicture;

/**
 * Picture-in-picture for `<wd-call>`: keeps the call visible while the person
 * scrolls or switches tabs. Document Picture-in-Picture where the browser has
 * it (a small window with the video and the mute, camera and hang-up buttons);
 * else the remote <video>'s own picture-in-picture, with mute, camera and
 * hang-up as Media Session actions where the browser shows them. Closes when
 * the call ends. The host reflects it as the `pip` attribute.
 */
export class PipController implements ReactiveController {
  private win: Window | undefined;
  private video: HTMLVideoElement | undefined;
  private view: PipView | undefined;

  constructor(private readonly host: WdCall) {
    host.addController(this);
  }

  /** Whether this browser can show a call in picture-in-picture at all. */
  static get supported(): boolean {
    return !!documentPip() || (typeof document !== 'undefined' && !!document.pictureInPictureEnabled);
  }

  /** Whether the remote video alone is needed (no Document Picture-in-Picture): then there must be one. */
  static get needsVideo(): boolean {
    return !documentPip();
  }

  get open(): boolean {
    return !!this.win || !!this.video;
  }

  /** The Document Picture-in-Picture window, while open. */
  get window(): Window | undefined {
    return this.win;
  }

  /** Opens or closes it. Must run in a click (browsers ask for a user gesture). */
  async toggle(): Promise<void> {
    if (this.open) return this.close();
    const dpip = documentPip();
    if (dpip) await this.openWindow(dpip);
    else await this.openVideo();
    this.sync();
  }

  /** Closes it (`rerender` false: the host is rendering anyway). */
  close(rerender = true): void {
    const win = this.win;
    const video = this.video;
    this.win = undefined;
    this.video = undefined;
    win?.close();
    if (video && document.pictureInPictureElement) void document.exitPictureInPicture().catch(() => {});
    this.setActions(false);
    this.host.toggleAttribute('pip', false);
    if (rerender) this.host.requestUpdate();
  }

  hostUpdated(): void {
    if (!this.open) return;
    // The call ended: nothing left to keep visible (the button is hidden now, no new render needed).
    if (this.host.state === 'idle' || this.host.state === 'incoming') return this.close(false);
    this.renderWindow();
    const session = this.session;
    session?.setMicrophoneActive?.(!this.host.muted);
    session?.setCameraActive?.(!this.host.cameraOff);
  }

  hostDisconnected(): void {
    this.close(false);
  }

  private async openWindow(dpip: DocumentPip) {
    const win = await dpip.requestWindow({ width: 360, height: 270 });
    this.win = win;
    const view = (this.view = await loadView());
    const style = win.document.createElement('style');
    style.textContent = view.pipCss;
    win.document.head.append(style);
    win.document.documentElement.lang = this.host.i18n.lang;
    win.document.title = this.host.i18n.t('remoteVideo', { uid: this.host.conversation?.remoteUid ?? this.host.remoteUid });
    // The person closed the window (or the browser did).
    win.addEventListener('pagehide', () => {
      if (this.win !== win) return;
      this.win = undefined;
      this.sync();
    });
    this.renderWindow();
  }

  private renderWindow() {
    if (this.win && this.view) render(this.view.renderPip(this.host), this.win.document.body);
  }

  private async openVideo() {
    const video = this.host.shadowRoot?.querySelector<HTMLVideoElement>('video[part~="remote-video"]');
    if (!video) return;
    await video.requestPictureInPicture();
    this.video = video;
    this.setActions(true);
    video.addEventListener(
      'leavepictureinpicture',
      () => {
        if (this.video !== video) return;
        this.video = undefined;
        this.setActions(false);
        this.sync();
      },
      { once: true },
    );
  }

  private get session(): CallMediaSession | undefined {
    return (globalThis.navigator as unknown as { mediaSession?: CallMediaSession } | undefined)?.mediaSession;
  }

  /** The video's PiP window shows these buttons where the browser supports the actions. */
  private setActions(on: boolean) {
    const session = this.session;
    if (!session) return;
    const h = this.host;
    const actions: [CallAction, () => void][] = [
      ['hangup', () => h.hangup()],
      ['togglemicrophone', () => (h.muted = !h.muted)],
      ['togglecamera', () => (h.cameraOff = !h.cameraOff)],
    ];
    for (const [action, handler] of actions) {
      try {
        session.setActionHandler(action, on ? handler : null);
      } catch {
        // An action this browser does not know.
      }
    }
  }

  private sync() {
    this.host.toggleAttribute('pip', this.open);
    this.host.requestUpdate();
  }
}
