// call()'s third argument, as the Wilddog 2.x SDK took it: either the options
// object or the user data itself (`videoInstance.call(uid, stream, 'test')`).
import type { CallOptions } from './conversation.js';

const OPTION_KEYS: readonly (keyof CallOptions)[] = ['iceTransportPolicy', 'data', 'timeout'];

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v));

/**
 * The rule: undefined, an empty object, or a plain object with at least one of
 * `iceTransportPolicy`, `data`, `timeout` is the options object; anything else
 * (a string, number, array, or an object without those keys) is the user data.
 */
export function toCallOptions(x: unknown): CallOptions {
  if (x === undefined) return {};
  if (isPlainObject(x) && (Object.keys(x).length === 0 || OPTION_KEYS.some((k) => k in x))) return x as CallOptions;
  return { data: x };
}
