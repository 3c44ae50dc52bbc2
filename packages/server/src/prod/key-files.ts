// The production key folder `wd-video keys init --dir DIR` writes: each secret
// in its own file (mode 0600), beside the public keys and JWTs, so an operator
// copies to each machine exactly the files it needs (PLACEMENT).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAccount, createOperator } from '@nats-io/nkeys';
import { encodeAccountJwts, publicKeyOf, type AccountLimits, type JwtKeys } from '../account.js';
import { serviceCreds } from '../history/service-user.js';
import type { ServiceKeys } from '../keys.js';
import { checkVapidKeys, generateVapidKeys } from '../push/vapid.js';

export const SECRET_FILES = {
  operatorSeed: 'operator.nk',
  systemSeed: 'system.nk',
  accountSeed: 'account.nk',
  signingSeed: 'signing.nk',
  turnSecret: 'turn-secret',
  routePassword: 'route-password',
  vapidPrivateKey: 'vapid-private-key',
  /** The history service's NATS user (JWT + seed, history/service-user.ts). */
  serviceCreds: 'service.creds',
} as const;

export const PUBLIC_FILES = {
  accountPublicKey: 'account.pub',
  signingPublicKey: 'signing.pub',
  systemPublicKey: 'system.pub',
  operatorJwt: 'operator.jwt',
  accountJwt: 'account.jwt',
  systemJwt: 'system.jwt',
  vapidPublicKey: 'vapid-public-key',
} as const;

/** Which file goes where; printed by `keys init` and repeated in README "Deploy". */
export const PLACEMENT: readonly [string, string][] = [
  ['admin machine only (offline; never on a server)', `${SECRET_FILES.operatorSeed} ${SECRET_FILES.systemSeed} ${SECRET_FILES.accountSeed}`],
  ['token service hosts', `${SECRET_FILES.signingSeed} ${PUBLIC_FILES.accountPublicKey} ${SECRET_FILES.turnSecret} (or WD_TURN_SECRET) ${SECRET_FILES.vapidPrivateKey} ${PUBLIC_FILES.vapidPublicKey} (Web Push; or WD_VAPID_*) ${SECRET_FILES.serviceCreds} (call history and shared push subscriptions; leave it out to run without)`],
  ['coturn hosts', `the config from \`wd-video config turn\` (it embeds ${SECRET_FILES.turnSecret})`],
  ['nats-server hosts', `the config from \`wd-video config nats\` (public JWTs and ${SECRET_FILES.routePassword}) and TLS files`],
];

const text = (u: Uint8Array) => new TextDecoder().decode(u);
const secret = () => randomBytes(32).toString('base64url');

/** Create the keys in a new or empty folder; refuses to overwrite any key file. */
export async function initKeyDir(dir: string, limits?: AccountLimits): Promise<string[]> {
  const names = [...Object.values(SECRET_FILES), ...Object.values(PUBLIC_FILES)];
  const existing = names.filter((n) => existsSync(join(dir, n)));
  if (existing.length) throw new Error(`${dir} already holds ${existing.join(', ')}: keys init never overwrites keys`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const vapid = generateVapidKeys();
  const seeds = {
    operatorSeed: text(createOperator().getSeed()),
    systemSeed: text(createAccount().getSeed()),
    accountSeed: text(createAccount().getSeed()),
    signingSeed: text(createAccount().getSeed()),
    turnSecret: secret(),
    routePassword: secret(),
    vapidPrivateKey: vapid.privateKey,
    serviceCreds: '',
  };
  seeds.serviceCreds = (await serviceCreds(seeds.accountSeed)).trim();
  const pub: JwtKeys = {
    operatorSeed: seeds.operatorSeed,
    accountPublicKey: publicKeyOf(seeds.accountSeed),
    signingPublicKey: publicKeyOf(seeds.signingSeed),
    systemPublicKey: publicKeyOf(seeds.systemSeed),
  };
  const jwts = await encodeAccountJwts(pub, limits);
  const written: string[] = [];
  const write = (name: string, content: string, mode: number) => {
    // 'wx': fail rather than replace a file that appeared meanwhile.
    writeFileSync(join(dir, name), `${content}\n`, { mode, flag: 'wx' });
    written.push(name);
  };
  for (const [k, name] of Object.entries(SECRET_FILES)) write(name, seeds[k as keyof typeof seeds], 0o600);
  write(PUBLIC_FILES.vapidPublicKey, vapid.publicKey, 0o644);
  write(PUBLIC_FILES.accountPublicKey, pub.accountPublicKey, 0o644);
  write(PUBLIC_FILES.signingPublicKey, pub.signingPublicKey, 0o644);
  write(PUBLIC_FILES.systemPublicKey, pub.systemPublicKey, 0o644);
  write(PUBLIC_FILES.operatorJwt, jwts.operatorJwt, 0o644);
  write(PUBLIC_FILES.accountJwt, jwts.accountJwt, 0o644);
  write(PUBLIC_FILES.systemJwt, jwts.systemJwt, 0o644);
  return written;
}

/**
 * A new service.creds from the folder's account seed (admin machine): for a
 * folder made before call history or push storage, or when the service user
 * needs more permissions after an upgrade. The old file is replaced; the user
 * it named stays valid until its credentials are no longer deployed anywhere
 * (service users carry no expiry; revoke one by re-running keys init).
 */
export async function writeServiceCreds(dir: string): Promise<string> {
  const file = join(dir, SECRET_FILES.serviceCreds);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${(await serviceCreds(read(dir, SECRET_FILES.accountSeed))).trim()}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return file;
}

const read = (dir: string, name: string) => {
  const file = join(dir, name);
  if (!existsSync(file)) throw new Error(`${file} is missing (made by \`wd-video keys init --dir ${dir}\`)`);
  return readFileSync(file, 'utf8').trim();
};

/** What `wd-video serve` loads: the signing seed, the account's public key, the TURN secret. */
export function readServiceKeys(dir: string, turnSecret?: string): ServiceKeys {
  // A token service host holding these is one break-in away from the whole deployment.
  for (const name of [SECRET_FILES.operatorSeed, SECRET_FILES.systemSeed, SECRET_FILES.accountSeed]) {
    if (existsSync(join(dir, name))) throw new Error(`${join(dir, name)} must not be on a token service host: copy only ${PLACEMENT[1]![1]}`);
  }
  const keys: ServiceKeys = {
    accountPublicKey: read(dir, PUBLIC_FILES.accountPublicKey),
    signingSeed: read(dir, SECRET_FILES.signingSeed),
    turnSecret: turnSecret || read(dir, SECRET_FILES.turnSecret),
  };
  // Key folders made before Web Push have no VAPID pair: push stays off (or WD_VAPID_* give one).
  if (existsSync(join(dir, SECRET_FILES.vapidPrivateKey))) {
    keys.vapid = checkVapidKeys({ publicKey: read(dir, PUBLIC_FILES.vapidPublicKey), privateKey: read(dir, SECRET_FILES.vapidPrivateKey) });
  }
  // Optional: without it the token service runs without call history.
  if (existsSync(join(dir, SECRET_FILES.serviceCreds))) keys.serviceCreds = read(dir, SECRET_FILES.serviceCreds);
  if (!keys.accountPublicKey.startsWith('A') || !keys.signingSeed.startsWith('SA')) throw new Error(`${dir}: ${PUBLIC_FILES.accountPublicKey} or ${SECRET_FILES.signingSeed} is not an account key`);
  return keys;
}

/** What `wd-video config nats` needs: the operator seed (it signs the account JWT with the chosen limits) and public keys. */
export function readAdminKeys(dir: string): JwtKeys & { routePassword: string } {
  return {
    operatorSeed: read(dir, SECRET_FILES.operatorSeed),
    accountPublicKey: read(dir, PUBLIC_FILES.accountPublicKey),
    signingPublicKey: read(dir, PUBLIC_FILES.signingPublicKey),
    systemPublicKey: read(dir, PUBLIC_FILES.systemPublicKey),
    routePassword: read(dir, SECRET_FILES.routePassword),
  };
}
