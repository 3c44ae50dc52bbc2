// Names for test users and calls. Environment-neutral.

const random = (n: number) => Array.from({ length: n }, () => '0123456789abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 36)]).join('');

/** A uid no other test (or earlier run) uses, so messages cannot cross between tests. */
export const uniqueUid = (prefix = 'user') => `${prefix}-${random(8)}`;

/** An id that passes the SDK's id syntax (8-64 of [A-Za-z0-9_-]): for forged or injected messages. */
export const fakeId = () => `fake${random(12)}`;
