import { emit } from '../internal/emit.js';
import { preferredDevices } from '../internal/preferred-devices.js';
import { loadSdk, type DeviceList, type NetworkCheckOptions, type NetworkReport, type SdkModule } from '../internal/sdk.js';
import type { WdDeviceCheck } from './device-check.js';
import { MicMeter } from './mic-meter.js';
import { CHECK_NAMES, pendingResults, type CheckItem, type CheckName, type DeviceCheckResults } from './results.js';
import { playTestTone } from './test-tone.js';

/** A level this high means someone is speaking (about -40 dBFS; room noise stays below). */
const HEARD_LEVEL = 0.33;
/** How long to wait for a sound before saying the microphone seems quiet. */
const QUIET_AFTER_MS = 6000;
/** A round trip above this makes a network item `slow`. */
const SLOW_MS = 500;

type RelayReason = NonNullable<NetworkReport['relay']['reason']>;
/** Relay failures a call may survive (peer to peer still works on open networks): a warning, not a failure. */
const RELAY_WARN: RelayReason[] = ['no_relay'];

/**
 * One run of `<wd-device-check>`: opens camera and microphone (each gets its
 * own verdict), meters the microphone, plays the speaker test on request, and
 * checks the network through the SDK; stop() releases everything.
 */
export class CheckRun {
  results: DeviceCheckResults = pendingResults();
  /** Microphone level 0..1, for the meter. */
  level = 0;
  devices: DeviceList | undefined;
  /** The camera preview's stream. */
  camera: MediaStream | undefined;
  speakerId = preferredDevices.speaker ?? '';
  canSetSpeaker = false;
  /** The test sound is playing. */
  playing = false;
  /** The test sound has played: ask whether it was heard. */
  asked = false;
  private mic: MediaStreamTrack | undefined;
  private meter: MicMeter | undefined;
  private quietTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private completed = false;
  private sdk: SdkModule | undefined;

  constructor(private readonly host: WdDeviceCheck) {}

  get cameraId(): string | undefined {
    return this.camera?.getVideoTracks()[0]?.getSettings().deviceId;
  }
  get microphoneId(): string | undefined {
    return this.mic?.getSettings().deviceId;
  }

  async start(): Promise<void> {
    const sdk = (this.sdk = await loadSdk());
    if (this.stopped) return;
    this.canSetSpeaker = sdk.RemoteStream.canSetSpeaker;
    const options = networkOptions(this.host);
    const network = options
      ? sdk.checkNetwork(options).then((r) => this.network(r))
      : Promise.resolve(this.setAll(['signIn', 'signaling', 'relay'], { status: 'untested', code: 'not_configured' }));
    await Promise.all([this.openMedia(), network]);
    await this.listDevices();
  }

  stop(): void {
    this.stopped = true;
    this.releaseMedia();
  }

  /** Lets go of camera and microphone (a call is starting: it needs them, phones open one camera at a time); the verdicts stay. */
  releaseMedia(): void {
    for (const n of ['camera', 'microphone'] as const) if (this.results[n].status === 'pending') this.set(n, { status: 'untested' });
    this.camera?.getTracks().forEach((t) => t.stop());
    this.mic?.stop();
    this.meter?.stop();
    clearTimeout(this.quietTimer);
    this.camera = undefined;
    this.mic = undefined;
    this.meter = undefined;
    this.level = 0;
    this.host.requestUpdate();
  }

  /** The preview shows its first frame: the camera works. */
  cameraShows(): void {
    const track = this.camera?.getVideoTracks()[0];
    if (this.stopped || !track) return;
    this.set('camera', { status: 'ok', label: track.label });
  }

  async chooseCamera(deviceId: string): Promise<void> {
    preferredDevices.camera = deviceId;
    await this.openCamera(deviceId);
  }

  async chooseMicrophone(deviceId: string): Promise<void> {
    preferredDevices.microphone = deviceId;
    await this.openMicrophone(deviceId);
  }

  chooseSpeaker(deviceId: string): void {
    preferredDevices.speaker = deviceId;
    this.speakerId = deviceId;
    this.asked = false;
    this.set('speaker', { status: 'untested' });
  }

  /** Plays the chime on the chosen speaker, then asks whether it was heard. */
  async playSound(): Promise<void> {
    this.meter?.resume(); // a click: audio may run now
    this.playing = true;
    this.host.requestUpdate();
    try {
      await playTestTone(this.sdk!, this.speakerId || undefined);
      this.asked = true;
    } catch (error) {
      this.set('speaker', { status: 'fail', code: (error as { code?: string }).code ?? 'device_unavailable' });
    } finally {
      this.playing = false;
      this.host.requestUpdate();
    }
  }

  /** The person's answer: heard the test sound, or not. */
  heard(yes: boolean): void {
    const label = this.devices?.speakers.find((s) => s.deviceId === (this.speakerId || 'default'))?.label;
    this.set('speaker', yes ? { status: 'ok', ...(label ? { label } : {}) } : { status: 'warn', code: 'not_heard' });
  }

  private async openMedia() {
    const sdk = this.sdk!;
    try {
      const s = await sdk.createLocalStream({ dimension: '360p', cameraId: preferredDevices.camera, microphoneId: preferredDevices.microphone, followDevices: false });
      if (this.stopped) return s.close();
      this.useCamera(new MediaStream(s.stream.getVideoTracks()));
      this.useMicrophone(s.stream.getAudioTracks()[0]!);
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'device_unavailable';
      // Refused or impossible for both: one verdict each, no second prompt.
      if (code === 'device_permission_denied' || code === 'device_unsupported') return this.setAll(['camera', 'microphone'], { status: 'fail', code });
      // Which one failed? Ask for each alone.
      await Promise.all([this.openCamera(preferredDevices.camera), this.openMicrophone(preferredDevices.microphone)]);
    }
  }

  private async openCamera(deviceId: string | undefined) {
    this.set('camera', { status: 'pending' });
    try {
      const s = await this.sdk!.createLocalStream({ captureAudio: false, dimension: '360p', cameraId: deviceId, followDevices: false });
      if (this.stopped) return s.close();
      this.useCamera(s.stream);
    } catch (e) {
      this.set('camera', { status: 'fail', code: (e as { code?: string }).code ?? 'device_unavailable' });
    }
  }

  private async openMicrophone(deviceId: string | undefined) {
    this.set('microphone', { status: 'pending' });
    try {
      const s = await this.sdk!.createLocalStream({ captureVideo: false, microphoneId: deviceId, followDevices: false });
      if (this.stopped) return s.close();
      this.useMicrophone(s.stream.getAudioTracks()[0]!);
    } catch (e) {
      this.set('microphone', { status: 'fail', code: (e as { code?: string }).code ?? 'device_unavailable' });
    }
  }

  private useCamera(stream: MediaStream) {
    this.camera?.getTracks().forEach((t) => t.stop());
    this.camera = stream;
    this.host.requestUpdate(); // the preview's first frame makes it `ok` (cameraShows)
  }

  private useMicrophone(track: MediaStreamTrack) {
    this.mic?.stop();
    this.meter?.stop();
    clearTimeout(this.quietTimer);
    this.mic = track;
    this.level = 0;
    this.set('microphone', { status: 'pending', label: track.label });
    this.meter = new MicMeter(track, (level) => {
      this.level = level;
      const m = this.results.microphone;
      if (level >= HEARD_LEVEL && m.status !== 'ok') this.set('microphone', { status: 'ok', label: track.label });
      else this.host.requestUpdate();
    });
    this.quietTimer = setTimeout(() => {
      if (this.results.microphone.status === 'pending') this.set('microphone', { status: 'warn', code: 'quiet', label: track.label });
    }, QUIET_AFTER_MS);
  }

  private network(r: NetworkReport) {
    const item = (ok: boolean, ms: number | undefined, reason: string | undefined, slowMatters: boolean, warnOn: string[] = []): CheckItem => {
      if (ok) return slowMatters && (ms ?? 0) > SLOW_MS ? { status: 'warn', code: 'slow', ms: Math.round(ms!) } : { status: 'ok', ms: Math.round(ms ?? 0) };
      if (reason === 'skipped') return { status: 'untested', code: 'skipped' };
      return { status: warnOn.includes(reason ?? '') ? 'warn' : 'fail', code: reason ?? 'unreachable' };
    };
    this.set('signIn', item(r.signIn.ok, r.signIn.ms, r.signIn.reason, false));
    this.set('signaling', item(r.signaling.ok, r.signaling.ms, r.signaling.reason, true));
    this.set('relay', item(r.relay.ok, r.relay.ms, r.relay.reason, true, RELAY_WARN));
  }

  private async listDevices() {
    try {
      this.devices = await this.sdk!.listDevices();
    } catch {
      this.devices = undefined;
    }
    this.host.requestUpdate();
  }

  private setAll(names: CheckName[], item: CheckItem) {
    for (const n of names) this.set(n, item);
  }

  private set(name: CheckName, item: CheckItem) {
    if (this.stopped) return;
    this.results = { ...this.results, [name]: item };
    if (!this.completed && CHECK_NAMES.every((n) => this.results[n].status !== 'pending')) {
      this.completed = true;
      this.host.state = 'done';
      emit(this.host, 'wd-check-complete', { results: this.results });
    }
    this.host.requestUpdate();
  }
}

/** Where and how to sign in for the network check: the panel's own attributes, else the enclosing `<wd-video-client>`'s. */
function networkOptions(el: WdDeviceCheck): NetworkCheckOptions | undefined {
  const client = el.closest('wd-video-client');
  const authUrl = el.authUrl || client?.authUrl;
  const token = el.token || client?.token;
  const anonymous = el.anonymous || !!client?.anonymous;
  if (!authUrl) return undefined;
  if (token) return { authUrl, token };
  if (!anonymous) return undefined;
  return { authUrl, anonymous: { uid: el.uid || client?.uid || `check-${Math.random().toString(36).slice(2, 10)}` } };
}
