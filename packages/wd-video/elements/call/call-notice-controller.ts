import type { ReactiveController } from 'lit';
import type { WdDeviceChangeEvent } from '../device-events.js';
import type { WdErrorEvent } from '../events.js';
import { deviceErrorText, loadDeviceErrorText } from '../internal/device-error-text.js';
import type { WdCall } from './call.js';

/** How long a "now using …" notice stays. */
const NOTICE_MS = 8000;

/**
 * What `<wd-call>` tells the person about devices: a camera or microphone error
 * as what to do about it (an alert, until the next call starts), and a device
 * that changed by itself (unplugged, headset followed) as a passing notice.
 * It listens to the host's own `wd-error` and `wd-device-change` events.
 */
export class CallNoticeController implements ReactiveController {
  /** The advice for the last device error, while it applies (the element's language at the time). */
  error = '';
  /** A device that changed by itself, for a few seconds. */
  notice = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onError = (e: WdErrorEvent) => {
    const error = e.detail.error;
    if (!(error as { code?: string }).code?.startsWith('device_')) return;
    // The advice texts load with the first error; the element re-renders when they are here.
    void loadDeviceErrorText().then(() => {
      this.error = deviceErrorText((k) => this.host.i18n.t(k), error) ?? '';
      this.host.requestUpdate();
    });
  };
  private readonly onDevice = (e: WdDeviceChangeEvent) => {
    const d = e.detail;
    if (d.reason === 'chosen') return;
    const t = this.host.i18n.t.bind(this.host.i18n);
    const kind = t(d.kind === 'camera' ? 'deviceCamera' : d.kind === 'microphone' ? 'deviceMicrophone' : 'deviceSpeaker');
    this.notice =
      d.reason === 'plugged' ? t('devicePlugged', { label: d.label }) : d.deviceId || d.kind === 'speaker' ? t('deviceLost', { kind, label: d.label || t('deviceDefault') }) : t('deviceNoneLeft', { kind });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.notice = '';
      this.host.requestUpdate();
    }, NOTICE_MS);
    this.host.requestUpdate();
  };
  private readonly onState = () => {
    // A new attempt: the old advice no longer applies.
    if (this.host.state === 'preparing' && this.error) {
      this.error = '';
      this.host.requestUpdate();
    }
  };

  constructor(private readonly host: WdCall) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('wd-error', this.onError);
    this.host.addEventListener('wd-device-change', this.onDevice);
    this.host.addEventListener('wd-state-change', this.onState);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('wd-error', this.onError);
    this.host.removeEventListener('wd-device-change', this.onDevice);
    this.host.removeEventListener('wd-state-change', this.onState);
    clearTimeout(this.timer);
  }
}
