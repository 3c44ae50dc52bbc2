import type { WdCall } from '../call/call.js';

/** The `<wd-call>` whose id is `id`, in `el`'s document or shadow root (else the document): the target of a `for` attribute. */
export function callTarget(el: Element, id: string): WdCall | undefined {
  if (!id) return undefined;
  const root = el.getRootNode() as Document | ShadowRoot;
  const found = root.getElementById?.(id) ?? document.getElementById(id);
  return found?.localName === 'wd-call' ? (found as WdCall) : undefined;
}
