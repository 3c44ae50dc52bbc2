// The stack's secrets: NATS operator, accounts and the account signing key that
// signs user credentials, and the coturn shared secret. Created once into the
// state folder (mode 0600) and reused on every later run.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAccount, createOperator } from '@nats-io/nkeys';

export interface StackKeys {
  operatorSeed: string;
  /** The account every wd-video user lives in. */
  accountSeed: string;
  /** Signs user JWTs; the account's own key stays offline in production. */
  signingSeed: string;
  /** nats-server's system account. */
  systemSeed: string;
  turnSecret: string;
}

const text = (u: Uint8Array) => new TextDecoder().decode(u);

export function generateKeys(): StackKeys {
  return {
    operatorSeed: text(createOperator().getSeed()),
    accountSeed: text(createAccount().getSeed()),
    signingSeed: text(createAccount().getSeed()),
    systemSeed: text(createAccount().getSeed()),
    turnSecret: randomBytes(32).toString('base64url'),
  };
}

/** Load the keys from `<stateDir>/keys.json`, creating the file on first use. */
export function loadOrCreateKeys(stateDir: string): StackKeys {
  const file = join(stateDir, 'keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StackKeys;
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const keys = generateKeys();
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}
