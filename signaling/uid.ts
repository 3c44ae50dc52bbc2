/**
 * A uid is one NATS subject token: no `.`, `*`, `>` or spaces, so it can never
 * widen a subject permission (a uid of `*` would read every user's calls).
 * Shared by the token service (which issues uids) and the SDK (which validates senders).
 */
export const UID_RE = /^[A-Za-z0-9_-]{1,64}$/;
export const isUid = (v: unknown): v is string => typeof v === 'string' && UID_RE.test(v);
