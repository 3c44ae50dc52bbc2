// Keeps `npm run bench` working: runs the quick version (no apt/npm/build step)
// and checks it finishes and writes its JSON with every part. Figures are
// not checked: CI machines are noisy, the bench reports ratios, not verdicts.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

// build/test/node/bench/ -> repository root
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

test('npm run bench -- --quick runs and writes its results', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wd-bench-'));
  const out = join(dir, 'quick');
  try {
    // Own process group, so a timeout takes the bench's Chromium and servers down with it.
    const child = spawn(process.execPath, ['scripts/bench.mjs', '--quick', `--out=${out}`], {
      cwd: root,
      env: { ...process.env, WD_SKIP_PREPARE: '1', WD_STATE_DIR: join(dir, 'state') },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    const code = await new Promise<number | null>((ok) => {
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGTERM');
          setTimeout(() => {
            try {
              process.kill(-child.pid!, 'SIGKILL');
            } catch {
              // already gone
            }
          }, 10_000).unref();
        } catch {
          // already gone
        }
      }, 240_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        ok(c);
      });
    });
    assert.equal(code, 0, `bench exited ${code}:\n${log.slice(-4000)}`);
    assert.ok(existsSync(`${out}.json`), 'no JSON written');
    const r = JSON.parse(readFileSync(`${out}.json`, 'utf8'));
    assert.equal(r.quick, true);
    assert.ok(Array.isArray(r.size?.rows) && r.size.rows.length > 0, 'size table missing');
    assert.ok(r.setup?.summary?.A && r.setup.summary.B, 'set-up summary missing');
    assert.ok(Array.isArray(r.capacity?.calls) && r.capacity.calls.length > 0, 'capacity table missing');
    assert.ok(r.failover?.kill?.n > 0 && r.failover?.freeze?.n > 0, 'failover trials missing');
    assert.ok(Array.isArray(r.soak?.checks) && r.soak.checks.length > 0, 'soak checks missing');
    assert.ok(existsSync(`${out}.svg`), 'no SVG chart written');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
