// The soak's verdicts, one list for the test (each must hold) and the bench
// (each recorded with its figure): what a page that has made many calls must
// not have accumulated.
import type { SoakResult } from './driver.js';
import { KINDS, plannedCall, type CallKind } from './mix.js';

export interface Check {
  name: string;
  ok: boolean;
  /** The figure behind the verdict. */
  detail: string;
}

/** Heap growth a page may show after the calls and a forced GC. */
export const HEAP_BOUND = 10 * 2 ** 20;

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MB`;

export function soakChecks(r: SoakResult): Check[] {
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });

  const planned = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<CallKind, number>;
  for (let i = 0; i < r.calls; i++) planned[plannedCall(i).kind]++;
  check('every call ended as its kind should', r.errors.length === 0 && KINDS.every((k) => r.byKind[k] === planned[k]), `${JSON.stringify(r.byKind)} of ${JSON.stringify(planned)}; ${r.errors.length} failed`);

  for (const p of r.pages) {
    const made = p.after.pcs.created - p.before.pcs.created;
    // The count is real: every call made at least one peer connection on each side.
    check(`${p.uid}: peer connections counted`, made >= r.calls, `${made} made`);
    check(`${p.uid}: open peer connections 0`, p.after.pcs.open === 0, `${p.after.pcs.open} open`);
    check(`${p.uid}: live timers of ended calls 0`, p.after.callTimers === 0, `${p.after.callTimers} live`);
    check(`${p.uid}: no conversation left`, p.after.conversation === null, `${p.after.conversation ?? 'none'}`);
    check(`${p.uid}: no ended conversation in memory`, p.conversationsAfter === 0, `${p.conversationsBefore} -> ${p.conversationsAfter} after forced GC`);
    check(`${p.uid}: still signed in`, p.after.status === 'connected', p.after.status);
    check(`${p.uid}: no uncaught error in the page`, p.pageErrors.length === 0, p.pageErrors.slice(0, 3).join(' | ') || 'none');
    check(`${p.uid}: no illegal state transition`, p.after.illegalTransitions === 0, `${p.after.illegalTransitions}`);
    const growth = p.heapAfter - p.heapBefore;
    check(`${p.uid}: JS heap growth under ${mb(HEAP_BOUND)}`, growth < HEAP_BOUND, `${mb(p.heapBefore)} -> ${mb(p.heapAfter)} after forced GC (${mb(growth)})`);
  }

  for (const [uid, before] of Object.entries(r.nats.before.clients)) {
    const after = r.nats.after.clients[uid]!;
    check(`${uid}: one connection on nats-server`, after.connections === 1, `${after.connections}`);
    check(`${uid}: subscriptions back to the baseline`, JSON.stringify(after.subjects) === JSON.stringify(before.subjects), `${before.subscriptions} -> ${after.subscriptions} (${after.subjects.join(' ')})`);
  }
  // The two pages, plus the stack's history service: as many as before the calls.
  check('nats-server connections back to the baseline', r.nats.after.connections === r.nats.before.connections, `${r.nats.before.connections} -> ${r.nats.after.connections}`);
  return checks;
}
