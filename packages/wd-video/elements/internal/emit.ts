// Dispatch helper for the events typed in ../events.ts.
import type {} from '../events.js';

type DetailOf<K extends keyof GlobalEventHandlersEventMap> =
  GlobalEventHandlersEventMap[K] extends CustomEvent<infer D> ? D : never;

/**
 * Dispatches a typed, bubbling, composed event from `el`. Returns false when a
 * listener called `preventDefault()` on a cancelable one.
 */
export function emit<K extends keyof GlobalEventHandlersEventMap & `wd-${string}`>(
  el: Element,
  name: K,
  detail: DetailOf<K>,
  options: { cancelable?: boolean } = {},
): boolean {
  return el.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: options.cancelable ?? false }));
}
