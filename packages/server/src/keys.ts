// The secrets. `ServiceKeys` is all a token service holds: the scoped signing
// seed (it can sign only users the account's template allows), the account's
// PUBLIC key (named as the users' account) and the TURN secret. `StackKeys` is
// the development stack's full set, created once into the state folder
// (mode 0600) and reused; production keeps each seed in its own file
// (prod/key-files.ts) and the operator, account and system seeds off the
// token service hosts.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAccount, createOperator } from '@nats-io/nkeys';
import { publicKeyOf } from './account.js';
import { generateVapidKeys, type VapidKeys } from './push/vapid.js';

export interface ServiceKeys {
  /** The account every wd-video user lives in (public key, "A..."). */
  accountPublicKey: string;
  /** The account's scoped signing key: signs user JWTs, grants only the template. */
  signingSeed: string;
  turnSecret: string;
  /** Signs Web Push requests; without it the push endpoints answer 404 push_disabled. */
  vapid?: VapidKeys;
  /** The history service's NATS user (a creds file); production reads service.creds, the dev stack makes one. */
  serviceCreds?: string;
}

export interface StackKeys extends ServiceKeys {
  operatorSeed: string;
  /** The account's own seed: signs nothing at run time (the operator signs the account JWT). */
  accountSeed: string;
  /** nats-server's system account. */
  systemSeed: string;
}

const text = (u: Uint8Array) => new TextDecoder().decode(u);

export function generateKeys(): StackKeys {
  const accountSeed = text(createAccount().getSeed());
  return {
    operatorSeed: text(createOperator().getSeed()),
    accountSeed,
    accountPublicKey: publicKeyOf(accountSeed),
    signingSeed: text(createAccount().getSeed()),
    systemSeed: text(createAccount().getSeed()),
    turnSecret: randomBytes(32).toString('base64url'),
    vapid: generateVapidKeys(),
  };
}

/** Load the keys from `<stateDir>/keys.json`, creating the file on first use. */
export function loadOrCreateKeys(stateDir: string): StackKeys {
  const file = join(stateDir, 'keys.json');
  if (existsSync(file)) {
    const keys = JSON.parse(readFileSync(file, 'utf8')) as StackKeys;
    if (!keys.vapid) {
      // keys.json written before Web Push: add the VAPID pair once, keeping every other key.
      keys.vapid = generateVapidKeys();
      writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
    }
    // keys.json written before the scoped model has no accountPublicKey.
    return { ...keys, accountPublicKey: publicKeyOf(keys.accountSeed) };
  }
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const keys = generateKeys();
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}
