// Load-generator processes: forked, asked to do things over IPC (each call a
// promise), and stopped by their own pid, also when the bench fails or exits.
import { fork } from 'node:child_process';

/**
 * Fork `n` copies of the module at `path`. The module answers `{ id, cmd, ...args }`
 * with `{ id, ok: true, result }` or `{ id, ok: false, error }` (see serveCommands()).
 */
export function startWorkers(path, n) {
  const workers = Array.from({ length: n }, (_, index) => startWorker(path, index));
  // A crash of the bench (or process.exit on SIGINT) must not leave generators behind.
  const killAll = () => {
    for (const w of workers) w.kill();
  };
  process.once('exit', killAll);
  return {
    workers,
    /** Run `cmd` on every worker (or those `among`) with the args `argsOf(worker)` gives; resolves when all answered. */
    all(cmd, argsOf = () => ({}), among = workers) {
      return Promise.all(among.map((w) => w.call(cmd, argsOf(w))));
    },
    /**
     * Ask each worker to close its clients, then to exit (it exits when the IPC
     * channel closes); after `graceMs` kill whatever is still running.
     */
    async stop(graceMs = 10_000) {
      const bounded = (p) => Promise.race([p, new Promise((ok) => setTimeout(ok, graceMs).unref())]);
      await Promise.all(workers.map((w) => bounded(w.call('close').catch(() => {}))));
      for (const w of workers) w.disconnect();
      await bounded(Promise.all(workers.map((w) => w.exited)));
      killAll();
      await Promise.all(workers.map((w) => w.exited));
      process.off('exit', killAll);
    },
  };
}

function startWorker(path, index) {
  // Advanced serialization: typed arrays of samples cross as bytes, not JSON.
  const proc = fork(path, [String(index)], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map();
  let next = 0;
  let gone;
  const exited = new Promise((ok) =>
    proc.once('exit', (code, signal) => {
      gone = new Error(`load-generator worker ${index} (pid ${proc.pid}) exited (${signal ?? code})`);
      for (const p of pending.values()) p.fail(gone);
      pending.clear();
      ok();
    }),
  );
  proc.on('message', (m) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.ok(m.result);
    else p.fail(new Error(`worker ${index}: ${m.error}`));
  });
  return {
    index,
    pid: proc.pid,
    exited,
    call(cmd, args = {}) {
      if (gone) return Promise.reject(gone);
      const id = next++;
      return new Promise((ok, fail) => {
        pending.set(id, { ok, fail });
        proc.send({ id, cmd, ...args });
      });
    },
    disconnect() {
      if (proc.connected) proc.disconnect();
    },
    kill() {
      if (proc.exitCode === null && proc.signalCode === null) process.kill(proc.pid, 'SIGKILL');
    },
  };
}

/** The worker side: answer each IPC command with `handlers[cmd](args)`; exit when the parent goes. */
export function serveCommands(handlers) {
  process.on('disconnect', () => process.exit(0));
  process.on('message', async ({ id, cmd, ...args }) => {
    try {
      const h = handlers[cmd];
      if (!h) throw new Error(`unknown command ${cmd}`);
      process.send({ id, ok: true, result: await h(args) });
    } catch (e) {
      process.send({ id, ok: false, error: String(e?.stack ?? e) });
    }
  });
}
