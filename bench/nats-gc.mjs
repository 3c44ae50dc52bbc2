// nats-server's garbage collections during a bench step, from the Go
// runtime's own trace (GODEBUG=gctrace=1 makes it print one line per cycle to
// stderr, which the stack writes to the node's log file). With 10,000
// connections the server's heap is hundreds of MB, and a cycle's concurrent
// mark competes for the same cores as everything else: the step records them.
import { closeSync, openSync, readSync, statSync } from 'node:fs';

// gc 13 @13.640s 2%: 3.3+181+0.008 ms clock, 6.7+100/89/0+0.017 ms cpu, 59->68->48 MB, 70 MB goal, ...
const LINE = /^gc \d+ @[\d.]+s \d+%: ([\d.]+)\+([\d.]+)\+([\d.]+) ms clock, ([\d.]+)\+([\d.]+)\/([\d.]+)\/([\d.]+)\+([\d.]+) ms cpu, (\d+)->(\d+)->(\d+) MB/;

/** The GC cycles in gctrace output: stop-the-world and concurrent-mark wall ms, CPU ms, heap MB after. */
export function parseGcTrace(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line.trim());
    if (!m) continue;
    const [sweepTerm, mark, markTerm, ...rest] = m.slice(1).map(Number);
    const cpuMs = rest.slice(0, 5).reduce((a, b) => a + b, 0);
    out.push({ stwMs: sweepTerm + markTerm, markMs: mark, cpuMs, heapAfterMB: rest[7] });
  }
  return out;
}

/** Totals over cycles: how many, the concurrent mark's wall time (sum and longest), their CPU, the last heap. */
export function summarizeGc(cycles) {
  return {
    cycles: cycles.length,
    markMs: cycles.reduce((a, c) => a + c.markMs, 0),
    longestMarkMs: cycles.reduce((a, c) => Math.max(a, c.markMs), 0),
    longestStwMs: cycles.reduce((a, c) => Math.max(a, c.stwMs), 0),
    cpuMs: cycles.reduce((a, c) => a + c.cpuMs, 0),
    heapAfterMB: cycles.at(-1)?.heapAfterMB ?? null,
  };
}

/** Watches a log file from its current end: `read()` summarizes the cycles logged since. */
export function gcWatch(logFile) {
  const size = () => {
    try {
      return statSync(logFile).size;
    } catch {
      return 0;
    }
  };
  const from = size();
  return {
    read() {
      const to = size();
      if (to <= from) return summarizeGc([]);
      const buf = Buffer.alloc(to - from);
      const fd = openSync(logFile, 'r');
      try {
        readSync(fd, buf, 0, buf.length, from);
      } finally {
        closeSync(fd);
      }
      return summarizeGc(parseGcTrace(buf.toString('utf8')));
    },
  };
}
