// The id rules of the contract (contract.ts re-exports them), in a module of
// their own so push-contract.ts can use them without importing contract.ts,
// which re-exports push-contract.ts (a cycle the bundler warned about).
// Keep this file free of DOM and Node APIs: it compiles for both.

/**
 * A uid is one NATS subject token: no `.`, `*`, `>` or spaces, so it can never
 * widen a subject permission (a uid of `*` would read every user's calls).
 */
export const UID_RE = /^[A-Za-z0-9_-]{1,64}$/;
export const isUid = (v: unknown): v is string => typeof v === 'string' && UID_RE.test(v);
/** Call ids and device ids (docs/protocol.md, Payload): made by randomId(), 8-64 URL-safe characters. */
export const ID_RE = /^[A-Za-z0-9_-]{8,64}$/;
export const isId = (v: unknown): v is string => typeof v === 'string' && ID_RE.test(v);
