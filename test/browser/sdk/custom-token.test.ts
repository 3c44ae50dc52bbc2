// Sign-in with an app's own custom token (HS256, as its backend would sign it):
// an expired token surfaces as token_error 41001, and setToken() with a fresh
// one signs in, after which calls work under the token's uid.
import { executeServerCommand } from '@web/test-runner-commands';
import { expect } from '@open-wc/testing';
import { VideoClient, wdVideo, type Conversation, type WdVideoError } from 'wd-video';
import { next } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { camera, cleanup, client } from './helpers.js';
import { needs } from '../engine.js';

// At least 32 bytes: the token service refuses shorter HS256 secrets.
const secret = `test-secret-${crypto.randomUUID()}`;
const mint = async (sub: string, expiresIn: number) =>
  ((await executeServerCommand('wd-stack', { action: 'mint-token', secret, sub, expiresIn })) as { token: string }).token;

describe('custom tokens', () => {
  let authUrl: string;
  const opened: VideoClient[] = [];
  before(async () => {
    authUrl = ((await executeServerCommand('wd-stack', { action: 'token-service', tokenSecret: secret })) as { authUrl: string }).authUrl;
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
    await cleanup();
  });

  it('an expired token gives token_error 41001; setToken() with a fresh one signs in as its uid', async function () {
    needs(this, 'webrtc');
    const uid = uniqueUid('dana');
    const video = wdVideo.initialize({ authUrl, token: await mint(uid, -120) });
    const tokenError = new Promise<WdVideoError>((ok) => {
      const c = video.call();
      opened.push(c);
      c.on('token_error', ok);
    });
    const err = await tokenError;
    expect(err.code).to.equal('token_expired');
    expect(err.errorCode).to.equal(41001);
    const c = video.call();
    await c.setToken(await mint(uid, 600));
    expect(c.uid).to.equal(uid);
    expect(c.status).to.equal('connected');
    // A caller (anonymous, on the main token service) reaches the custom-token user.
    const caller = await client(uniqueUid('erin'));
    const called = next<Conversation>(c, 'called');
    caller.call(uid, await camera());
    expect((await called).remoteUid).to.equal(caller.uid);
  });

  it('a token signed with another secret gives token_error 41002 and no connection', async () => {
    const c = new VideoClient({ authUrl, token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4IiwiZXhwIjo0MTAyNDQ0ODAwfQ.c2lnbmF0dXJl' });
    opened.push(c);
    const tokenError = next<WdVideoError>(c, 'token_error');
    await c.start().catch(() => {});
    expect((await tokenError).errorCode).to.equal(41002);
    expect(c.status).to.equal('error');
  });
});
