// Child processes of the stack: started with their output in a log file,
// waited for by TCP port, and stopped by their own pid (never by name).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';

export interface Child {
  name: string;
  proc: ChildProcess;
  exited: Promise<number | null>;
}

export function startChild(name: string, cmd: string, args: string[], logDir: string): Child {
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout?.pipe(log);
  proc.stderr?.pipe(log);
  const exited = new Promise<number | null>((ok) => {
    proc.once('exit', (code) => ok(code));
    proc.once('error', (e) => {
      log.write(`spawn error: ${e.message}\n`);
      ok(-1);
    });
  });
  return { name, proc, exited };
}

/** SIGTERM, then SIGKILL after `graceMs`. Resolves once the process is gone. */
export async function stopChild(c: Child, graceMs = 3000): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  c.proc.kill('SIGTERM');
  const timer = setTimeout(() => c.proc.kill('SIGKILL'), graceMs);
  await c.exited;
  clearTimeout(timer);
}

export async function waitForPort(port: number, host: string, child: Child | undefined, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.proc.exitCode !== null) throw new Error(`${child.name} exited with code ${child.proc.exitCode} (see its log)`);
    const ok = await new Promise<boolean>((res) => {
      const s = connect(port, host);
      s.once('connect', () => {
        s.destroy();
        res(true);
      });
      s.once('error', () => res(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${child?.name ?? 'service'} did not open ${host}:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Ports freePort() has handed out in this process. A port is free when it is
 * picked but taken only when its server starts, and the stack picks several
 * before starting any: the OS may offer the same one twice meanwhile (seen: a
 * TURN and a NATS port alike, so coturn could not bind).
 */
const handedOut = new Set<number>();

/** A TCP port that was free a moment ago on `host`, and not handed out before by this process. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await unusedPort(host);
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no port on ${host} that this process has not handed out already`);
}

/**
 * Ports below Linux's ephemeral range (32768-60999 by default): the OS hands
 * ephemeral ports to outgoing connections, so a port picked there and bound a
 * moment later can be taken meanwhile by any client connecting anywhere (a
 * CI run lost a nats-server to "address already in use" that way while a
 * load generator held thousands of connections).
 */
const PICK_FROM = 20_000;
const PICK_TO = 32_767;

/** A port on `host` nobody listens on now, from the range above (the OS's choice if that range is full). */
async function unusedPort(host: string): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = PICK_FROM + Math.floor(Math.random() * (PICK_TO - PICK_FROM + 1));
    if (await canListen(port, host)) return port;
  }
  return listenOn(0, host);
}

const canListen = (port: number, host: string) => listenOn(port, host).then(() => true, () => false);

function listenOn(port: number, host: string): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(port, host, () => {
      const { port: bound } = s.address() as { port: number };
      s.close(() => ok(bound));
    });
  });
}
