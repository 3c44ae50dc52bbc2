// The operator, account and system JWTs nats-server trusts (operator mode,
// MEMORY resolver preload). The account's signing key is SCOPED: its template
// is the contract's permissionsTemplate(), so a user JWT it signs gets exactly
// what permissionsFor(uid) grants (uid = the user JWT's name) and cannot carry
// permissions of its own; nats-server refuses one that tries.
// The dev stack and `wd-video config nats` both encode them here. Encoding
// needs the operator seed only; the account key is named by its public key.
import { encodeAccount, encodeOperator, type SigningKey } from '@nats-io/jwt';
import { fromPublic, fromSeed, type KeyPair } from '@nats-io/nkeys';
import { permissionsTemplate } from 'wd-video/contract';

export const ACCOUNT_NAME = 'wd-users';
/** The role name of the scoped key, as `nsc` would show it. */
export const SIGNING_ROLE = 'wd-video-user';

export interface AccountLimits {
  /** Subscriptions per connection (the SDK needs a handful). */
  maxSubs: number;
  /** Bytes per message. */
  maxPayload: number;
  /** Connections of the whole account on this cluster; -1 = no limit. */
  maxConnections: number;
}

/** The account's JetStream file storage (all history streams, all replicas counted once per stream). */
export const JETSTREAM_DISK_BYTES = 1024 * 1024 * 1024;

export const defaultAccountLimits: AccountLimits = { maxSubs: 100, maxPayload: 65536, maxConnections: -1 };

/** The public keys the JWTs name, and the operator seed that signs them. */
export interface JwtKeys {
  operatorSeed: string;
  accountPublicKey: string;
  signingPublicKey: string;
  systemPublicKey: string;
}

export interface AccountJwts {
  operatorJwt: string;
  accountPub: string;
  accountJwt: string;
  systemPub: string;
  systemJwt: string;
}

export const keyPair = (seed: string): KeyPair => fromSeed(new TextEncoder().encode(seed));
export const publicKeyOf = (seed: string) => keyPair(seed).getPublicKey();

/** The signing key entry: everything a user gets comes from this template. */
export function scopedSigningKey(signingPublicKey: string, limits: AccountLimits): SigningKey {
  return {
    kind: 'user_scope',
    key: signingPublicKey,
    role: SIGNING_ROLE,
    template: {
      ...permissionsTemplate(),
      // The browser holds no private key: the JWT alone authenticates.
      bearer_token: true,
      // Not enforced for scoped users by nats-server 2.9.10 (it checks the
      // connection type before applying the template), so production binds
      // the plain TCP port to loopback (prod/nats-conf.ts). Kept for newer servers.
      allowed_connection_types: ['WEBSOCKET'],
      subs: limits.maxSubs,
      payload: limits.maxPayload,
      data: -1,
    },
  };
}

export async function encodeAccountJwts(k: JwtKeys, limits: AccountLimits = defaultAccountLimits): Promise<AccountJwts> {
  const operator = keyPair(k.operatorSeed);
  const operatorJwt = await encodeOperator('wd-video', operator, { system_account: k.systemPublicKey });
  const accountJwt = await encodeAccount(
    ACCOUNT_NAME,
    fromPublic(k.accountPublicKey),
    {
      // Only the scoped key: the account key itself stays offline and signs no users.
      signing_keys: [scopedSigningKey(k.signingPublicKey, limits)],
      // No imports or exports, no leaf nodes: core NATS for signaling. JetStream
      // only for the call history and push subscriptions, which only the service user may
      // touch: a browser's template grants no $JS.API subject (docs/security.md).
      limits: {
        subs: -1, conn: limits.maxConnections, leaf: 0, imports: 0, exports: 0, data: -1, payload: -1, wildcards: true,
        disk_storage: JETSTREAM_DISK_BYTES, mem_storage: 0, streams: 4, consumer: 0,
      },
    },
    { signer: operator },
  );
  const systemJwt = await encodeAccount('SYS', fromPublic(k.systemPublicKey), {}, { signer: operator });
  return { operatorJwt, accountPub: k.accountPublicKey, accountJwt, systemPub: k.systemPublicKey, systemJwt };
}
