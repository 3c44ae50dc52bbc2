// Devices in the SDK: listing, switching camera and microphone on a live call
// (the other side sees the new camera; nothing renegotiates; the other
// direction never stalls), the speaker, unplug/plug (simulated), and the error
// codes of failed device requests.
import { expect } from '@open-wc/testing';
import { createLocalStream, listDevices, RemoteStream, wdVideo, type Conversation, type Device, type DeviceChange, type DeviceSwitch, type LocalStream, type SpeakerSwitch, type WdVideoError } from 'wd-video';
import { next, record, argsOf } from '../../shared/events.js';
import { until } from '../../shared/wait.js';
import { onCleanup } from '../cleanup.js';
import { realDevices, simulateDevices, simulatePlug, simulateUnplug } from '../fake-devices.js';
import { cornerHue, frameCounter, playing, showsGreenCamera, showsYellowCamera } from '../frames.js';
import { camera, cleanup, sendingPair } from './helpers.js';
import { needs } from '../engine.js';

/**
 * The two fake cameras that look different: [green corners, yellow corners]
 * (fake_device_0 and fake_device_2; device-count=3 in web-test-runner.config.mjs).
 */
async function cameras(): Promise<[Device, Device]> {
  const s = await navigator.mediaDevices.getUserMedia({ video: true });
  s.getTracks().forEach((t) => t.stop()); // labels and ids need one grant
  const cams = (await listDevices()).cameras;
  expect(cams.map((c) => c.label), 'fake cameras').to.include.members(['fake_device_0', 'fake_device_2']);
  return [cams.find((c) => c.label === 'fake_device_0')!, cams.find((c) => c.label === 'fake_device_2')!];
}

/** The next `devicechange` wdVideo reports. */
function heardChange(): Promise<DeviceChange> {
  return new Promise((ok) => {
    const f = (c: DeviceChange) => {
      wdVideo.off('devicechange', f);
      ok(c);
    };
    wdVideo.on('devicechange', f);
  });
}

async function local(options: Parameters<typeof createLocalStream>[0] = {}): Promise<LocalStream> {
  const s = await createLocalStream({ dimension: '240p', ...options });
  onCleanup(() => s.close());
  return s;
}

/** alice sends `stream` to bob, bob sends his camera back; both sides' received video on the page. */
async function callWith(stream: LocalStream) {
  const { conv, incoming } = await sendingPair(stream);
  const atBob = playing(incoming.remoteStream!.stream);
  const atAlice = playing(conv.remoteStream!.stream);
  const bobSees = frameCounter(atBob);
  const aliceSees = frameCounter(atAlice);
  onCleanup(() => (bobSees.stop(), aliceSees.stop()));
  const sender = (kind: string) => conv.peerConnection!.getSenders().find((s) => s.track?.kind === kind)!;
  return { conv, incoming, atBob, atAlice, bobSees, aliceSees, sender };
}

/** Bytes of `kind` bob has received so far. */
async function received(c: Conversation, kind: 'audio' | 'video'): Promise<number> {
  let bytes = 0;
  (await c.peerConnection!.getStats()).forEach((r) => {
    if (r.type === 'inbound-rtp' && r.kind === kind) bytes += r.bytesReceived as number;
  });
  return bytes;
}

describe('devices', function () {
  this.timeout(45_000);
  afterEach(cleanup);

  it('listDevices() / wdVideo.devices(): the three fake cameras, microphones and speakers, with labels once access was granted', async function () {
    needs(this, 'fakeDevices');
    await cameras();
    const list = await wdVideo.devices();
    expect(list.labelled).to.equal(true);
    expect(list.cameras).to.have.length(3);
    expect(list.microphones.length).to.be.greaterThan(0);
    expect(list.speakers.length).to.be.greaterThan(0);
    for (const d of [...list.cameras, ...list.microphones, ...list.speakers]) {
      expect(d.deviceId, d.label).to.be.a('string').and.not.equal('');
      expect(d.label).to.not.equal('');
    }
    expect(list.cameras.every((d) => d.kind === 'camera') && list.speakers.every((d) => d.kind === 'speaker')).to.equal(true);
  });

  it('switchCamera(id) mid-call: bob sees the other camera, frames keep coming, alice keeps receiving without a stall, nothing renegotiates', async function () {
    needs(this, 'fakeDevices');
    const [green, yellow] = await cameras();
    const stream = await local({ cameraId: green.deviceId });
    expect(stream.cameraId).to.equal(green.deviceId);
    const call = await callWith(stream);
    await until(() => showsGreenCamera(call.atBob), 10_000, () => `bob sees the green camera (corner hue ${cornerHue(call.atBob).toFixed(2)})`);
    let negotiations = 0;
    call.conv.peerConnection!.addEventListener('negotiationneeded', () => negotiations++);
    const videoSender = call.sender('video');
    const before = videoSender.track!;
    // The other direction: alice's received track must not mute, end or stop moving.
    const aliceTrack = call.conv.remoteStream!.stream.getVideoTracks()[0]!;
    const stalls: string[] = [];
    for (const e of ['mute', 'ended']) aliceTrack.addEventListener(e, () => stalls.push(e));
    const events = record(stream, ['device']);

    await stream.switchCamera(yellow.deviceId);
    expect(stream.cameraId).to.equal(yellow.deviceId);
    expect(videoSender.track).to.not.equal(before);
    expect(videoSender.track!.getSettings().deviceId).to.equal(yellow.deviceId);
    expect(before.readyState, 'the old camera is released').to.equal('ended');
    expect(argsOf(events, 'device')).to.deep.equal([{ kind: 'camera', deviceId: yellow.deviceId, label: 'fake_device_2', previous: green.deviceId, reason: 'chosen' } satisfies DeviceSwitch]);
    await until(() => showsYellowCamera(call.atBob), 10_000, () => `bob sees the yellow camera (corner hue ${cornerHue(call.atBob).toFixed(2)})`);
    await call.bobSees.more(5);
    await call.aliceSees.more(5);

    // No id: the next camera in the list, after the last one the first: back to the green one.
    await stream.switchCamera();
    expect(stream.cameraId).to.equal(green.deviceId);
    await until(() => showsGreenCamera(call.atBob), 10_000, 'bob sees the green camera again');
    await call.bobSees.more(5);
    expect(stalls, 'alice\'s incoming video never muted or ended').to.deep.equal([]);
    expect(aliceTrack.readyState).to.equal('live');
    expect(negotiations).to.equal(0);
    expect(call.conv.state).to.equal('connected');
  });

  it('setMicrophone(id) mid-call: the new microphone is sent, still muted if it was, and bob keeps receiving audio', async function () {
    needs(this, 'fakeDevices');
    const stream = await local();
    const call = await callWith(stream);
    const mics = (await listDevices()).microphones.filter((m) => m.deviceId !== 'default' && m.deviceId !== stream.microphoneId);
    expect(mics.length, 'another microphone').to.be.greaterThan(0);
    const audioSender = call.sender('audio');
    const before = audioSender.track!;
    stream.enableAudio(false);
    const changed = next<DeviceSwitch>(stream, 'device');

    await stream.setMicrophone(mics[0]!.deviceId);
    expect(await changed).to.include({ kind: 'microphone', deviceId: mics[0]!.deviceId, reason: 'chosen' });
    expect(stream.microphoneId).to.equal(mics[0]!.deviceId);
    expect(audioSender.track).to.not.equal(before);
    expect(audioSender.track!.getSettings().deviceId).to.equal(mics[0]!.deviceId);
    expect(audioSender.track!.enabled, 'still muted').to.equal(false);
    expect(stream.audioEnabled).to.equal(false);
    expect(before.readyState).to.equal('ended');
    expect(stream.stream.getAudioTracks()).to.deep.equal([audioSender.track]);

    stream.enableAudio(true);
    const bytes = await received(call.incoming, 'audio');
    await until(async () => (await received(call.incoming, 'audio')) > bytes + 2000, 10_000, 'bob receives the new microphone');
    expect(call.conv.state).to.equal('connected');
  });

  it('createLocalStream({cameraId}) uses that camera; a camera id that is gone falls back to the default instead of failing', async function () {
    needs(this, 'fakeDevices');
    const [green, yellow] = await cameras();
    const chosen = await local({ cameraId: yellow.deviceId });
    expect(chosen.cameraId).to.equal(yellow.deviceId);
    const gone = await local({ cameraId: 'unplugged-yesterday' });
    expect(gone.cameraId).to.equal(green.deviceId);
    expect(((await createLocalStream({ cameraId: '' }).catch((e: WdVideoError) => e)) as WdVideoError).code).to.equal('invalid_argument');
  });

  it('bad input changes nothing: an unknown camera is device_not_found and the current one keeps sending; an empty id is invalid_argument', async function () {
    needs(this, 'fakeDevices');
    const [green] = await cameras();
    const stream = await local({ cameraId: green.deviceId });
    const call = await callWith(stream);
    const track = call.sender('video').track!;
    const error = await stream.switchCamera('no-such-camera').catch((e: WdVideoError) => e);
    expect(error).to.include({ code: 'device_not_found', errorCode: 41005 });
    expect((await stream.setMicrophone('').catch((e: WdVideoError) => e))!.code).to.equal('invalid_argument');
    expect(call.sender('video').track).to.equal(track);
    expect(track.readyState).to.equal('live');
    await call.bobSees.more(3);
    await until(() => showsGreenCamera(call.atBob), 5000, 'bob still sees the green camera');
  });

  it('RemoteStream.setSpeaker(id): every attached element plays on it, also ones attached later; "" is the default again', async function () {
    needs(this, 'fakeDevices');
    await cameras();
    expect(RemoteStream.canSetSpeaker).to.equal(true);
    const speaker = (await listDevices()).speakers.find((s) => s.deviceId !== 'default')!;
    const remote = new RemoteStream(await camera());
    const first = document.createElement('audio');
    remote.attach(first);
    const changed = next<SpeakerSwitch>(remote, 'speaker');
    await remote.setSpeaker(speaker.deviceId);
    expect(await changed).to.deep.equal({ deviceId: speaker.deviceId, previous: undefined, reason: 'chosen' });
    expect(first.sinkId).to.equal(speaker.deviceId);
    expect(remote.speakerId).to.equal(speaker.deviceId);
    const later = document.createElement('audio');
    remote.attach(later);
    await until(() => later.sinkId === speaker.deviceId, 5000, 'a later element follows');
    await remote.setSpeaker('');
    expect([first.sinkId, remote.speakerId]).to.deep.equal(['', undefined]);
    expect((await remote.setSpeaker('no-such-speaker').catch((e: WdVideoError) => e))!.code).to.equal('device_not_found');
    expect(first.sinkId, 'a failed choice changes nothing').to.equal('');
    remote.detach();
  });

  it('the camera in use is unplugged (simulated): back to the default camera, a `lost` event, bob sees it', async function () {
    needs(this, 'fakeDevices');
    const [green, yellow] = await cameras();
    const stream = await local({ cameraId: yellow.deviceId });
    const call = await callWith(stream);
    await until(() => showsYellowCamera(call.atBob), 10_000, () => `bob sees the yellow camera (corner hue ${cornerHue(call.atBob).toFixed(2)})`);
    const changed = next<DeviceSwitch>(stream, 'device');

    await simulateUnplug((d) => d.deviceId === yellow.deviceId);
    expect(await changed).to.deep.equal({ kind: 'camera', deviceId: green.deviceId, label: 'fake_device_0', previous: yellow.deviceId, reason: 'lost' });
    expect(call.sender('video').track!.getSettings().deviceId).to.equal(green.deviceId);
    await until(() => showsGreenCamera(call.atBob), 10_000, 'bob sees the default (green) camera');
    await call.bobSees.more(3);
    expect(call.conv.state).to.equal('connected');
  });

  it('a headset is plugged in (simulated): followed while on the default microphone; not when the app chose one', async function () {
    needs(this, 'fakeDevices');
    await cameras();
    const headset = (await realDevices()).find((d) => d.kind === 'audioinput' && d.deviceId !== 'default')!;
    const asHeadset = { deviceId: headset.deviceId, groupId: headset.groupId, kind: headset.kind, label: 'USB Headset' };
    // Start with the "headset" absent, so that plugging it is a change.
    simulateDevices((await realDevices()).filter((d) => d.deviceId !== headset.deviceId));
    const stream = await local();
    const call = await callWith(stream);
    const before = stream.microphoneId;
    expect(before).to.not.equal(headset.deviceId);
    const followed = next<DeviceSwitch>(stream, 'device');
    await simulatePlug(asHeadset);
    expect(await followed).to.include({ kind: 'microphone', deviceId: headset.deviceId, previous: before, reason: 'plugged' });
    expect(call.sender('audio').track!.getSettings().deviceId).to.equal(headset.deviceId);

    // Chosen by the app: unplug and plug again, and a chosen microphone stays.
    const other = (await listDevices()).microphones.find((m) => m.deviceId !== 'default' && m.deviceId !== headset.deviceId)!;
    await stream.setMicrophone(other.deviceId);
    const events = record(stream, ['device']);
    let heard = heardChange();
    simulateDevices((await realDevices()).filter((d) => d.deviceId !== headset.deviceId));
    await heard;
    heard = heardChange();
    await simulatePlug(asHeadset);
    expect((await heard).added.map((d) => d.label)).to.deep.equal(['USB Headset']);
    // The stream listened before this test did, so it has reacted (queued a switch) by now;
    // a switch of our own queues behind anything it started.
    await stream.setMicrophone(other.deviceId);
    expect(argsOf(events, 'device').map((e) => (e as DeviceSwitch).reason), 'no move away from the chosen microphone').to.deep.equal(['chosen']);
    expect(stream.microphoneId).to.equal(other.deviceId);
  });

  it('wdVideo.on("devicechange") says what was added and removed (simulated)', async function () {
    needs(this, 'fakeDevices');
    const [, yellow] = await cameras();
    const heard = heardChange();
    await simulateUnplug((d) => d.deviceId === yellow.deviceId);
    const change = await heard;
    expect(change.removed.map((d) => d.label)).to.deep.equal(['fake_device_2']);
    expect(change.added).to.deep.equal([]);
    expect(change.devices.cameras.map((d) => d.label)).to.deep.equal(['fake_device_0', 'fake_device_1']);
  });

  it('the chosen speaker is unplugged (simulated): back to the default speaker, a `lost` event', async function () {
    needs(this, 'fakeDevices');
    await cameras();
    const speaker = (await listDevices()).speakers.find((s) => s.deviceId !== 'default')!;
    const remote = new RemoteStream(await camera());
    const el = document.createElement('audio');
    remote.attach(el);
    await remote.setSpeaker(speaker.deviceId);
    const lost = next<SpeakerSwitch>(remote, 'speaker');
    await simulateUnplug((d) => d.deviceId === speaker.deviceId);
    expect(await lost).to.deep.equal({ deviceId: undefined, previous: speaker.deviceId, reason: 'lost' });
    expect(el.sinkId).to.equal('');
    remote.detach();
  });

  describe('failed device requests become codes a person can act on (all errorCode 41005)', () => {
    it('a camera that cannot give the asked size (real OverconstrainedError): device_overconstrained', async () => {
      const original = navigator.mediaDevices.getUserMedia;
      // createLocalStream asks for ideal sizes; force a hard one the fake camera cannot meet.
      navigator.mediaDevices.getUserMedia = (c) => original.call(navigator.mediaDevices, { ...c, video: { width: { min: 100_000 } } });
      onCleanup(() => (navigator.mediaDevices.getUserMedia = original));
      const e = await createLocalStream().catch((x: WdVideoError) => x);
      expect(e).to.include({ code: 'device_overconstrained', errorCode: 41005 });
      // The message names the constraint where the browser does (Chromium, Firefox); WebKit's error leaves `constraint` empty.
      const named = ((e as WdVideoError).cause as { constraint?: string } | undefined)?.constraint;
      expect((e as WdVideoError).message).to.match(named ? /width/ : /cannot provide the requested settings/);
    });

    for (const [name, code] of [
      ['NotAllowedError', 'device_permission_denied'],
      ['NotFoundError', 'device_not_found'],
      ['NotReadableError', 'device_busy'],
      ['AbortError', 'device_unavailable'],
    ] as const) {
      it(`getUserMedia rejecting with ${name} (stubbed: fake devices cannot refuse): ${code}`, async () => {
        const original = navigator.mediaDevices.getUserMedia;
        navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('simulated', name));
        onCleanup(() => (navigator.mediaDevices.getUserMedia = original));
        const e = await createLocalStream().catch((x: WdVideoError) => x);
        expect(e).to.include({ code, errorCode: 41005, name: 'WdVideoError' });
        expect((e as Error).cause).to.be.instanceOf(DOMException);
      });
    }
  });
});
