// Cost of one sign-in's user JWT (what packages/server/src/native-signer.ts
// exists for): @nats-io/jwt's encodeUser with nkeys' pure JavaScript ed25519,
// then with the native signer, interleaved in one run (4 timed rounds after a
// warm-up). Not part of `npm run bench`; after `npm run build`: `node bench/jwt-sign.mjs`.
import { encodeUser } from '@nats-io/jwt';
import { createAccount, createUser, fromSeed } from '@nats-io/nkeys';
import { nativeKeyPair, newUserPublicKey } from '@wd-video/server/native-signer.js';

const seed = new TextDecoder().decode(createAccount().getSeed());
const account = createAccount().getPublicKey();
const contenders = {
  'nkeys (pure JS)': { count: 20, signer: fromSeed(new TextEncoder().encode(seed)), user: () => createUser().getPublicKey() },
  'native signer': { count: 500, signer: nativeKeyPair(seed), user: newUserPublicKey },
};
const total = Object.fromEntries(Object.keys(contenders).map((k) => [k, 0]));
for (let round = 0; round < 5; round++) {
  for (const [name, { count, signer, user }] of Object.entries(contenders)) {
    const t = performance.now();
    for (let i = 0; i < count; i++) await encodeUser('u', user(), account, {}, { signer });
    if (round > 0) total[name] += (performance.now() - t) / count / 4; // round 0 warms up
  }
}
for (const [name, ms] of Object.entries(total)) console.log(`${name.padEnd(16)} ${ms.toFixed(3)} ms per JWT  ${Math.round(1000 / ms)} JWTs/s`);
