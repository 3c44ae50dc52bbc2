// The history service's own NATS user. Browsers' users come from the scoped
// signing key and can reach only their own subjects; this one is signed by
// the account key itself (at `keys init`, or by the dev stack) with exactly
// what the history service needs: read every user's call reports and history
// requests, write the history streams, send notices; and the push
// subscriptions' stream, which the token service keeps on the same
// connection. It is not a bearer token: the creds file holds the user's seed,
// which signs each connection.
import { encodeUser, fmtCreds } from '@nats-io/jwt';
import { createUser } from '@nats-io/nkeys';
import { RESPONSE_TTL_NS } from 'wd-video/contract';
import { keyPair } from '../account.js';

export const SERVICE_USER = 'wd-history-service';
/**
 * The service's request inboxes. Not under `_INBOX.`: users subscribe to
 * `_INBOX.<uid>.>`, and a user whose uid equals our prefix would read our
 * JetStream replies (everybody's history).
 */
export const SERVICE_INBOX = '_WDSVC';
export const HISTORY_STREAM = 'WD_HISTORY';
export const SEEN_STREAM = 'WD_SEEN';
/** Push subscriptions, shared by every token service (push/jetstream-store.ts). */
export const PUSH_STREAM = 'WD_PUSH';

/** What the service may do; nothing more (docs/security.md, "Call history"). */
export function servicePermissions() {
  const api = (stream: string) => [`$JS.API.STREAM.INFO.${stream}`, `$JS.API.STREAM.CREATE.${stream}`, `$JS.API.STREAM.UPDATE.${stream}`, `$JS.API.DIRECT.GET.${stream}`, `$JS.API.DIRECT.GET.${stream}.>`];
  return {
    pub: { allow: ['wd.hist.*', 'wd.seen.*', 'wd.push.*', 'wd.n.*.*', '$JS.API.INFO', ...api(HISTORY_STREAM), ...api(SEEN_STREAM), ...api(PUSH_STREAM)] },
    sub: { allow: ['wd.ev.*', 'wd.svc.*.*', `${SERVICE_INBOX}.>`] },
    // Answers to history requests go to the asking user's inbox, once.
    resp: { max: 1, ttl: RESPONSE_TTL_NS },
  };
}

/** A creds file (JWT + seed) for the service user, signed by the account's own seed. */
export async function serviceCreds(accountSeed: string): Promise<string> {
  const user = createUser();
  const jwt = await encodeUser(SERVICE_USER, user, keyPair(accountSeed), { ...servicePermissions() });
  return new TextDecoder().decode(fmtCreds(jwt, user));
}
