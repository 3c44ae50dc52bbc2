// A page's memory through the DevTools Protocol: the JS heap after a forced
// GC, and how many objects of one class are still reachable (the SDK's
// Conversation: one that survives its call keeps its peer connection and
// streams with it).
import type { CDPSession } from 'playwright-core';

/** Heap in use after a forced full GC (twice: the first may only queue finalisers), bytes. */
export async function heapAfterGc(cdp: CDPSession): Promise<number> {
  for (let i = 0; i < 2; i++) await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

/** Objects in the heap whose prototype chain holds `prototypeExpression` (evaluated in the page). */
export async function liveInstances(cdp: CDPSession, prototypeExpression: string): Promise<number> {
  const objectGroup = 'soak-memory';
  try {
    const proto = await cdp.send('Runtime.evaluate', { expression: prototypeExpression, objectGroup });
    if (!proto.result.objectId) throw new Error(`${prototypeExpression} is not an object in the page`);
    const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId, objectGroup });
    const n = await cdp.send('Runtime.callFunctionOn', { objectId: objects.objectId!, functionDeclaration: 'function () { return this.length; }', returnByValue: true });
    return n.result.value as number;
  } finally {
    await cdp.send('Runtime.releaseObjectGroup', { objectGroup });
  }
}
