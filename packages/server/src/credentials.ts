// Turns a verified uid into the credentials a browser needs: a short-lived
// bearer NATS user JWT scoped to the uid's own subjects, and TURN REST-API
// credentials of the same lifetime.
import { createHmac } from 'node:crypto';
import { encodeUser } from '@nats-io/jwt';
import { fromSeed, type KeyPair } from '@nats-io/nkeys';
import { permissionsFor, type Session } from 'wd-video/contract';
import type { Config } from './config.js';
import type { StackKeys } from './keys.js';
import { nativeKeyPair, newUserPublicKey } from './native-signer.js';

// Deriving a key pair from a seed costs milliseconds in pure JS: do it once per seed.
const signers = new Map<string, { account: string; signer: KeyPair }>();
function signerFor(keys: StackKeys) {
  let s = signers.get(keys.signingSeed);
  if (!s) {
    s = { account: fromSeed(new TextEncoder().encode(keys.accountSeed)).getPublicKey(), signer: nativeKeyPair(keys.signingSeed) };
    signers.set(keys.signingSeed, s);
  }
  return s;
}


export function turnCredential(secret: string, uid: string, expiresAtSec: number) {
  const username = `${expiresAtSec}:${uid}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}

export async function issueSession(cfg: Config, keys: StackKeys, uid: string, now = Date.now()): Promise<Session> {
  const exp = Math.floor(now / 1000) + cfg.credentialTtl;
  const { account, signer } = signerFor(keys);
  const jwt = await encodeUser(
    uid,
    newUserPublicKey(), // bearer token: no private key is ever needed, the JWT alone authenticates
    account,
    {
      ...permissionsFor(uid),
      bearer_token: true,
      allowed_connection_types: ['WEBSOCKET'],
      subs: cfg.maxSubs,
      payload: cfg.maxPayload,
      data: -1,
    },
    { signer, exp },
  );
  const turn = turnCredential(keys.turnSecret, uid, exp);
  return {
    uid,
    nats: { servers: cfg.natsServers, jwt },
    iceServers: [
      {
        urls: [
          `turn:${cfg.publicHost}:${cfg.turnPort}?transport=udp`,
          `turn:${cfg.publicHost}:${cfg.turnPort}?transport=tcp`,
        ],
        ...turn,
      },
    ],
    expiresAt: exp * 1000,
  };
}
