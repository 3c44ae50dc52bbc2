// Signing user JWTs with Node's native ed25519 instead of the pure JavaScript
// one (tweetnacl) inside @nats-io/nkeys, which is what bounds sign-ins per second.
// `node bench/jwt-sign.mjs` (one encodeUser per sign-in; 2-core AMD EPYC shared
// with other jobs, Node 20, 2026-11-30, three runs): nkeys alone 17-28 ms per
// JWT (36-57/s), native 0.18-0.21 ms (4 900-5 600/s). The earlier version, which
// deep-imported nkeys' codec, measured 0.19-0.35 ms in the same runs.
//
// @nats-io/nkeys's public API (its package root) exports no codec for the text
// form of keys, so the few lines below read and write that form, which every
// NATS implementation (nats-server too) shares: RFC 4648 base32 without padding
// of prefix byte(s), the 32-byte key and a little-endian CRC-16/XMODEM. They are
// checked against the public API, so an nkeys change cannot slip through:
// nativeKeyPair() refuses a seed whose native public key or signature differs
// from fromSeed()'s, and encodeUser() parses every user key from
// newUserPublicKey() with fromPublic(), which checks prefix and CRC.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { fromSeed, Prefix, type KeyPair } from '@nats-io/nkeys';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(s: string): Uint8Array {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of s) {
    const i = B32.indexOf(ch);
    if (i < 0) throw new Error('invalid base32 in nkey');
    value = ((value << 5) | i) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return new Uint8Array(out);
}

function base32Encode(b: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of b) {
    value = ((value << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += B32[(value >>> bits) & 31];
    }
  }
  return bits > 0 ? out + B32[(value << (5 - bits)) & 31] : out;
}

function crc16(b: Uint8Array): number {
  let crc = 0;
  for (const byte of b) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The text form of a public key: prefix byte, 32 key bytes, CRC. */
function encodePublic(prefix: Prefix, raw: Uint8Array): string {
  const body = new Uint8Array(35);
  body[0] = prefix;
  body.set(raw, 1);
  const crc = crc16(body.subarray(0, 33));
  body[33] = crc & 0xff;
  body[34] = crc >>> 8;
  return base32Encode(body);
}

// PKCS#8 wrapping of a raw 32-byte ed25519 seed (RFC 8410).
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const rawPublic = (k: KeyObject) => Buffer.from(k.export({ format: 'jwk' }).x as string, 'base64url');

/** Same public key and signatures as fromSeed(seed), signed natively; throws if they would differ. */
export function nativeKeyPair(seed: string): KeyPair {
  const kp = fromSeed(new TextEncoder().encode(seed));
  const publicKey = kp.getPublicKey();
  // A seed is 2 prefix bytes (seed marker + role), 32 raw seed bytes, 2 CRC bytes.
  const rawSeed = base32Decode(seed).subarray(2, 34);
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, rawSeed]), format: 'der', type: 'pkcs8' });
  const probe = new TextEncoder().encode(`wd-video native signer check ${publicKey}`);
  const prefix = base32Decode(publicKey)[0] as Prefix;
  if (encodePublic(prefix, rawPublic(createPublicKey(key))) !== publicKey || !Buffer.from(sign(null, probe, key)).equals(kp.sign(probe))) {
    throw new Error('native-signer: Node and @nats-io/nkeys disagree on this seed; sign with fromSeed() instead');
  }
  // nkeys re-derives the private key (a pure-JS scalar multiplication) on every call; jwt.js calls it per JWT.
  const privateKey = kp.getPrivateKey();
  return {
    getPublicKey: () => publicKey,
    getPrivateKey: () => privateKey,
    getSeed: () => kp.getSeed(),
    sign: (input: Uint8Array) => new Uint8Array(sign(null, input, key)),
    verify: (input: Uint8Array, sig: Uint8Array) => kp.verify(input, sig),
    clear: () => kp.clear(),
    seal: kp.seal.bind(kp),
    open: kp.open.bind(kp),
  };
}

/**
 * A fresh user public key ("U..."), made natively. Bearer JWTs never use the
 * private half, and nkeys' createUser().getPublicKey() spends milliseconds deriving the public one.
 */
export function newUserPublicKey(): string {
  return encodePublic(Prefix.User, rawPublic(generateKeyPairSync('ed25519').publicKey));
}
