// Turns a verified uid into the credentials a browser needs: a short-lived
// bearer NATS user JWT named after the uid and signed by the account's scoped
// signing key (its permissions come from the key's template, account.ts), and
// TURN REST-API credentials of the same lifetime.
import { createHmac } from 'node:crypto';
import { encodeUser } from '@nats-io/jwt';
import type { KeyPair } from '@nats-io/nkeys';
import { isUid, type Session } from 'wd-video/contract';
import type { Config } from './config.js';
import type { ServiceKeys } from './keys.js';
import { nativeKeyPair, newUserPublicKey } from './native-signer.js';

// Deriving a key pair from a seed costs milliseconds in pure JS: do it once per seed.
const signers = new Map<string, KeyPair>();
function signerFor(keys: ServiceKeys) {
  let s = signers.get(keys.signingSeed);
  if (!s) {
    s = nativeKeyPair(keys.signingSeed);
    signers.set(keys.signingSeed, s);
  }
  return s;
}

export function turnCredential(secret: string, uid: string, expiresAtSec: number) {
  const username = `${expiresAtSec}:${uid}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}

export async function issueSession(cfg: Config, keys: ServiceKeys, uid: string, now = Date.now()): Promise<Session> {
  // The name becomes `{{name()}}` in the template: it must be one literal subject token.
  if (!isUid(uid)) throw new Error(`not a uid: ${JSON.stringify(uid)}`);
  const exp = Math.floor(now / 1000) + cfg.credentialTtl;
  const jwt = await encodeUser(
    uid,
    newUserPublicKey(), // bearer token: no private key is ever needed, the JWT alone authenticates
    keys.accountPublicKey,
    // A scoped user carries no permissions or limits: nats-server applies the template.
    {},
    { signer: signerFor(keys), exp, scopedUser: true },
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
    // Relative, so a client with a skewed clock schedules its refresh right (never more than is left).
    ttl: Math.floor((exp * 1000 - now) / 1000),
  };
}
