import { LitElement, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { WdDeviceChangeDetail } from '../device-events.js';
import { emit } from '../internal/emit.js';
import { LocalizeController } from '../internal/localize.js';
import { preferredDevices } from '../internal/preferred-devices.js';
import { SdkEventsController } from '../internal/sdk-events-controller.js';
import { loadSdk, type DeviceEvents, type DeviceList, type LocalStream, type LocalStreamEvents, type RemoteStream, type RemoteStreamEvents } from '../internal/sdk.js';
import type { WdStrings } from '../internal/strings.js';
import { styles } from './device-menu.styles.js';
import { renderDeviceMenu, type MenuItem } from './device-menu.view.js';
import { nextIndex } from './menu-keys.js';

/**
 * The device menu of `<wd-call>`: a button that opens a menu of cameras,
 * microphones and speakers (WAI-ARIA menu button with radio items: arrows,
 * Home/End, Enter/Space, Escape). Choosing one switches it on the live call.
 * `<wd-call>` loads it lazily once it has a call; usable alone with `stream`
 * and `remote` set.
 *
 * @summary Choose camera, microphone and speaker during a call.
 *
 * @csspart devices-button - The button that opens the menu.
 * @csspart device-menu - The menu.
 * @csspart device-group - The camera, microphone or speaker group.
 * @csspart device-group-label - The heading of a group.
 * @csspart device-item - One device (`aria-checked` on the one in use).
 *
 * @fires wd-device-change - The camera, microphone or speaker changed: chosen here, unplugged (back to the default) or a headset plugged in (`detail.kind`, `deviceId`, `label`, `previous`, `reason`).
 * @fires wd-error - Switching failed (`detail.error`, a `device_*` WdVideoError).
 */
export class WdDeviceMenu extends LitElement {
  static override styles = styles;

  /** The call's camera and microphone. */
  @property({ attribute: false }) stream: LocalStream | undefined = undefined;
  /** The other side's media, whose speaker the menu sets (where the browser can). */
  @property({ attribute: false }) remote: RemoteStream | undefined = undefined;
  /** Labels to override (the enclosing `<wd-call>` passes its own). */
  @property({ attribute: false }) strings: Partial<WdStrings> | undefined = undefined;

  @state() open = false;
  /** @internal The index of the focused item while open. */
  @state() focusIndex = -1;
  @state() private list: DeviceList | undefined;
  private canSetSpeaker = false;

  /** @internal Labels, for the view. */
  readonly i18n = new LocalizeController(this);
  private readonly localEvents = new SdkEventsController<LocalStreamEvents>(this, { device: (c) => this.changed(c) });
  private readonly remoteEvents = new SdkEventsController<RemoteStreamEvents>(this, { speaker: (c) => this.changed({ ...c, kind: 'speaker', label: this.labelOf('speaker', c.deviceId) }) });
  private readonly deviceEvents = new SdkEventsController<DeviceEvents>(this, { devicechange: ({ devices }) => void (this.list = devices) });
  private readonly onOutside = (e: Event) => {
    if (this.open && !e.composedPath().includes(this)) this.close(false);
  };
  // A fixed-position menu would stay behind while its button moves.
  private readonly onMove = () => this.open && this.close(false);

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('pointerdown', this.onOutside, true);
    window.addEventListener('resize', this.onMove);
    window.addEventListener('scroll', this.onMove, true);
    void loadSdk().then((sdk) => {
      this.canSetSpeaker = sdk.RemoteStream.canSetSpeaker;
      this.deviceEvents.setTarget(sdk.deviceWatch);
      return this.refresh();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('pointerdown', this.onOutside, true);
    window.removeEventListener('resize', this.onMove);
    window.removeEventListener('scroll', this.onMove, true);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('stream')) this.localEvents.setTarget(this.stream);
    if (changed.has('remote')) this.remoteEvents.setTarget(this.remote);
    if (!this.stream && this.open) this.open = false;
  }

  protected override render() {
    return renderDeviceMenu(this);
  }

  protected override updated(): void {
    const menu = this.shadowRoot?.querySelector<HTMLElement>('[role="menu"]');
    if (!menu) return;
    // The top layer where the browser has popovers: nothing on the page can cover or clip the menu.
    const popover = typeof menu.showPopover === 'function';
    if (!this.open) {
      if (popover && menu.matches(':popover-open')) menu.hidePopover();
      return;
    }
    if (popover && !menu.matches(':popover-open')) menu.showPopover();
    // Above the button, its right edge on the button's, inside the window.
    const r = this.button!.getBoundingClientRect();
    menu.style.bottom = `${Math.max(8, innerHeight - r.top + 8)}px`;
    menu.style.right = `${Math.max(8, innerWidth - r.right)}px`;
    menu.style.maxHeight = `${Math.max(160, r.top - 16)}px`;
  }

  /** @internal The menu's items, in order: cameras (with video), microphones, speakers (where settable). */
  get items(): MenuItem[] {
    const l = this.list;
    const s = this.stream;
    if (!l || !s) return [];
    const items: MenuItem[] = [];
    const add = (kind: MenuItem['kind'], devices: DeviceList['cameras'], current: string | undefined) =>
      devices.forEach((d, i) => items.push({ kind, deviceId: d.deviceId, label: d.label || this.i18n.t('deviceUnnamed', { kind: this.kindLabel(kind), n: i + 1 }), checked: d.deviceId === current }));
    if (s.stream.getVideoTracks().length) add('camera', l.cameras, s.cameraId);
    if (s.stream.getAudioTracks().length) add('microphone', l.microphones, s.microphoneId);
    if (this.remote && this.canSetSpeaker && l.speakers.length) {
      const current = this.remote.speakerId ?? (l.speakers.some((d) => d.deviceId === 'default') ? 'default' : l.speakers[0]!.deviceId);
      add('speaker', l.speakers, current);
    }
    return items;
  }

  /** @internal The name of a kind, as the group heading shows it. */
  kindLabel(kind: MenuItem['kind']): string {
    return this.i18n.t(kind === 'camera' ? 'deviceCamera' : kind === 'microphone' ? 'deviceMicrophone' : 'deviceSpeaker');
  }

  /** Opens the menu with focus on the device in use (`last`: on the last item, as ArrowUp does). */
  async show(last = false): Promise<void> {
    await this.refresh();
    const items = this.items;
    this.focusIndex = last ? items.length - 1 : Math.max(0, items.findIndex((i) => i.checked));
    this.open = true;
    await this.updateComplete;
    this.focusItem();
  }

  /** Closes the menu; `refocus` puts focus back on the button (Escape, a choice). */
  close(refocus: boolean): void {
    this.open = false;
    this.focusIndex = -1;
    if (refocus) this.button?.focus();
  }

  /** @internal Keys on the button: open with ArrowDown/ArrowUp (Enter and Space click it). */
  onButtonKey(e: KeyboardEvent): void {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    void this.show(e.key === 'ArrowUp');
  }

  /** @internal Keys in the open menu. */
  onMenuKey(e: KeyboardEvent): void {
    const items = this.items;
    const to = nextIndex(e.key, this.focusIndex, items.length);
    if (to !== undefined) {
      e.preventDefault();
      this.focusIndex = to;
      void this.updateComplete.then(() => this.focusItem());
    } else if (e.key === 'Escape') {
      e.preventDefault();
      this.close(true);
    } else if (e.key === 'Tab') this.close(false);
    else if ((e.key === 'Enter' || e.key === ' ') && items[this.focusIndex]) {
      e.preventDefault();
      void this.choose(items[this.focusIndex]!);
    }
  }

  /** @internal Switches to `item`'s device; a failure is `wd-error` and the device in use stays. */
  async choose(item: MenuItem): Promise<void> {
    this.close(true);
    if (item.checked) return;
    try {
      if (item.kind === 'camera') await this.stream?.switchCamera(item.deviceId);
      else if (item.kind === 'microphone') await this.stream?.setMicrophone(item.deviceId);
      else await this.remote?.setSpeaker(item.deviceId);
      preferredDevices[item.kind] = item.deviceId;
    } catch (error) {
      emit(this, 'wd-error', { error: error as Error });
    }
    this.requestUpdate();
  }

  private get button(): HTMLButtonElement | null | undefined {
    return this.shadowRoot?.querySelector('button');
  }

  private focusItem() {
    this.shadowRoot?.querySelectorAll<HTMLElement>('[role="menuitemradio"]')[this.focusIndex]?.focus();
  }

  private async refresh() {
    try {
      this.list = await (await loadSdk()).listDevices();
    } catch {
      this.list = { cameras: [], microphones: [], speakers: [], labelled: false };
    }
  }

  private labelOf(kind: MenuItem['kind'], deviceId: string | undefined): string {
    const l = this.list;
    const all = l ? [...l.cameras, ...l.microphones, ...l.speakers] : [];
    return all.find((d) => d.kind === kind && d.deviceId === deviceId)?.label ?? '';
  }

  /** A device changed (here, by the app, or by the hardware): tell the page (`<wd-call>` shows and announces it). */
  private changed(c: WdDeviceChangeDetail) {
    void this.refresh();
    emit(this, 'wd-device-change', { kind: c.kind, deviceId: c.deviceId, label: c.label, previous: c.previous, reason: c.reason });
  }
}
