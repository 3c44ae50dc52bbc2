// What the deploy tests share: the real `wd-video` command, a throwaway CA made
// with openssl, and servers started from generated configs that are stopped
// by pid when the test file ends, also when it fails.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { startChild, stopChild, waitForPort, type Child } from '@wd-video/server/processes.js';
import { SECRET_FILES, PUBLIC_FILES } from '@wd-video/server/prod/key-files.js';
import { repoRoot, tempStateDir } from '../helpers/procs.js';

export const BIN = join(repoRoot, 'packages/server/build/main.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `wd-video ...args` as an operator types it, with only `env` beyond PATH. */
export function wdVideo(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((ok) => {
    execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: unknown }).code as number | null) : 0;
      ok({ code: typeof code === 'number' ? code : null, stdout, stderr });
    });
  });
}

/** A fresh folder for one test file, with `wd-video keys init` run in `keys/`. */
export async function deployDir(name: string): Promise<{ dir: string; keys: string }> {
  const dir = tempStateDir(`deploy-${name}`);
  const keys = join(dir, 'keys');
  const r = await wdVideo(['keys', 'init', '--dir', keys]);
  if (r.code !== 0) throw new Error(`keys init failed: ${r.stderr}`);
  return { dir, keys };
}

/** Copy only what a token service host gets (README "Deploy") into `<dir>/service-keys`. */
export function serviceKeysDir(dir: string, keys: string): string {
  const to = join(dir, 'service-keys');
  mkdirSync(to, { recursive: true, mode: 0o700 });
  for (const f of [SECRET_FILES.signingSeed, SECRET_FILES.turnSecret, SECRET_FILES.serviceCreds, PUBLIC_FILES.accountPublicKey]) copyFileSync(join(keys, f), join(to, f));
  return to;
}

export interface Pki {
  ca: string;
  /** Server and route certificate for 127.0.0.1 / 127.0.0.2 / localhost, signed by `ca`. */
  cert: string;
  key: string;
  /** A certificate of another CA: a host that is not part of the cluster. */
  rogueCert: string;
  rogueKey: string;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });

function issue(cwd: string, ca: string, name: string) {
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`], cwd);
  // serverAuth and clientAuth: a route dials out (client) and accepts (server) with the same certificate.
  writeFileSync(join(cwd, `${name}.ext`), 'subjectAltName=IP:127.0.0.1,IP:127.0.0.2,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.pem`], cwd);
}

/** A CA and certificates made for this run only. */
export function makePki(dir: string): Pki {
  const cwd = join(dir, 'pki');
  mkdirSync(cwd, { recursive: true });
  for (const ca of ['ca', 'rogue-ca']) {
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', `/CN=${ca}`, '-keyout', `${ca}.key`, '-out', `${ca}.pem`], cwd);
  }
  issue(cwd, 'ca', 'node');
  issue(cwd, 'rogue-ca', 'rogue');
  const p = (f: string) => join(cwd, f);
  return { ca: p('ca.pem'), cert: p('node.pem'), key: p('node.key'), rogueCert: p('rogue.pem'), rogueKey: p('rogue.key') };
}

const children: Child[] = [];
after(() => Promise.all(children.map((c) => stopChild(c))));
// A crash skips `after`: take the servers along.
process.once('exit', () => {
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
});

/** Start `cmd` (stopped after this test file) and wait until it listens on host:port. */
export async function startServer(name: string, cmd: string, args: string[], dir: string, host: string, port: number): Promise<Child> {
  const child = startChild(name, cmd, args, join(dir, 'logs'));
  children.push(child);
  await waitForPort(port, host, child);
  return child;
}
