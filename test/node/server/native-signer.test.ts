// The native signer must be a drop-in: the same public key and byte-identical
// ed25519 signatures (ed25519 is deterministic) as @nats-io/nkeys.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createAccount, createOperator, createUser, fromSeed } from '@nats-io/nkeys';
import { nativeKeyPair } from '@wd-video/server/native-signer.js';

it('signs exactly like nkeys, and nkeys verifies it', () => {
  for (let i = 0; i < 6; i++) {
    const seed = new TextDecoder().decode([createAccount, createOperator, createUser][i % 3]().getSeed());
    const reference = fromSeed(new TextEncoder().encode(seed));
    const native = nativeKeyPair(seed);
    assert.equal(native.getPublicKey(), reference.getPublicKey());
    const msg = new TextEncoder().encode(`payload ${i} ${'x'.repeat(i * 100)}`);
    const sig = native.sign(msg);
    assert.deepEqual(sig, reference.sign(msg));
    assert.equal(reference.verify(msg, sig), true);
  }
});

it('makes valid user public keys that nkeys accepts', async () => {
  const { fromPublic } = await import('@nats-io/nkeys');
  const { newUserPublicKey } = await import('@wd-video/server/native-signer.js');
  const a = newUserPublicKey();
  assert.match(a, /^U[A-Z2-7]{55}$/);
  assert.equal(fromPublic(a).getPublicKey(), a);
  assert.notEqual(newUserPublicKey(), a);
});
