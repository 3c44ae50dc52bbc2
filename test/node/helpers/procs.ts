// Finding the servers a test started, by a unique path on their command line
// (its own state folder), so it can prove none is left and clean up on failure.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file compiles to build/test/node/helpers/). */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** A fresh state folder under .wd/ (ignored by git), unique to this run. */
export function tempStateDir(name: string): string {
  const dir = resolve(repoRoot, '.wd', `${name}-${process.pid}-${Date.now().toString(36)}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Processes whose command line mentions `needle`, read from /proc. */
export function processesMentioning(needle: string): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(join('/proc', entry, 'cmdline'), 'utf8').split('\0').join(' ').trim();
      if (cmdline.includes(needle)) found.push({ pid: Number(entry), cmdline });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Kill (by pid) every process left with `needle` on its command line: only ours carry it. */
export function killMentioning(needle: string): void {
  for (const p of processesMentioning(needle)) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((ok) => {
    const s = connect(port, host);
    s.setTimeout(2000, () => {
      s.destroy();
      ok(false);
    });
    s.once('connect', () => {
      s.destroy();
      ok(true);
    });
    s.once('error', () => ok(false));
  });
}
