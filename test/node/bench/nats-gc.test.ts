// Reading nats-server's GC cycles from the Go runtime's gctrace lines
// (bench/nats-gc.mjs): the capacity bench shows them next to each step's latency.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// build/test/node/bench/ -> repository root (the bench is plain .mjs, not compiled)
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

type Gc = { cycles: number; markMs: number; longestMarkMs: number; longestStwMs: number; cpuMs: number; heapAfterMB: number | null };
interface NatsGc {
  parseGcTrace(text: string): { stwMs: number; markMs: number; cpuMs: number; heapAfterMB: number }[];
  gcWatch(file: string): { read(): Gc };
}
const natsGc = (): Promise<NatsGc> => import(pathToFileURL(resolve(root, 'bench/nats-gc.mjs')).href);

// Two lines as nats-server 2.9.10 (Go 1.19) printed them under load, with other log lines around.
const L1 = 'gc 13 @13.640s 2%: 3.3+181+0.008 ms clock, 6.7+100/89/0+0.017 ms cpu, 59->68->48 MB, 70 MB goal, 23 MB stacks, 0 MB globals, 2 P';
const L2 = 'gc 14 @14.317s 2%: 0.95+124+0.32 ms clock, 1.9+17/65/16+0.64 ms cpu, 84->93->62 MB, 99 MB goal, 31 MB stacks, 0 MB globals, 2 P';

test('gctrace lines give each cycle\'s pauses, concurrent mark, CPU and heap; other lines are skipped', async () => {
  const { parseGcTrace } = await natsGc();
  const cycles = parseGcTrace(`[1] 2026/11/30 16:00:00.000000 [INF] Server is ready\n${L1}\n${L2}\nnot a gc line`);
  assert.equal(cycles.length, 2);
  assert.deepEqual(cycles[0], { stwMs: 3.3 + 0.008, markMs: 181, cpuMs: 6.7 + 100 + 89 + 0 + 0.017, heapAfterMB: 48 });
  assert.equal(cycles[1].markMs, 124);
});

test('a watch counts only the cycles logged after it started', async () => {
  const { gcWatch } = await natsGc();
  const dir = mkdtempSync(join(tmpdir(), 'wd-gc-'));
  try {
    const file = join(dir, 'nats.log');
    writeFileSync(file, `${L1}\n`);
    const w = gcWatch(file);
    assert.equal(w.read().cycles, 0, 'the cycle before the watch is not counted');
    appendFileSync(file, `${L2}\n`);
    const g = w.read();
    assert.equal(g.cycles, 1);
    assert.equal(g.longestMarkMs, 124);
    assert.equal(g.heapAfterMB, 62);
    assert.equal(gcWatch(join(dir, 'missing.log')).read().cycles, 0, 'no log yet: no cycles, no exception');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
