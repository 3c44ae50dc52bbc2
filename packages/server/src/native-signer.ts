// An nkeys KeyPair whose sign() uses Node's native ed25519 instead of the pure
// JavaScript one in @nats-io/nkeys: signing a user JWT drops from ~20 ms of
// CPU to ~0.1 ms, which is what bounded sign-ins per second (see bench).
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { fromSeed, Prefix, type KeyPair } from '@nats-io/nkeys';
// Not re-exported by the package root; the encoder nkeys itself uses for public keys.
import { Codec } from '@nats-io/nkeys/lib/codec.js';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(s: string): Uint8Array {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of s) {
    const i = B32.indexOf(ch);
    if (i < 0) throw new Error('invalid base32 in nkey');
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return new Uint8Array(out);
}

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/** Same public key and signatures as fromSeed(seed), signed natively. */
export function nativeKeyPair(seed: string): KeyPair {
  const kp = fromSeed(new TextEncoder().encode(seed));
  // Seed: 2 prefix bytes, 32 raw seed bytes, 2 CRC bytes. Public key: 1 prefix byte, 32 bytes, 2 CRC bytes.
  const rawSeed = base32Decode(seed).subarray(2, 34);
  const rawPublic = base32Decode(kp.getPublicKey()).subarray(1, 33);
  const key = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: b64url(rawSeed), x: b64url(rawPublic) }, format: 'jwk' });
  const publicKey = kp.getPublicKey();
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
  } as KeyPair;
}

/**
 * A fresh user public key ("U..."), made natively. Bearer JWTs never use the
 * private half, and nkeys' createUser() spends milliseconds deriving the public one.
 */
export function newUserPublicKey(): string {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  return new TextDecoder().decode(Codec.encode(Prefix.User, Buffer.from(jwk.x as string, 'base64url')));
}
