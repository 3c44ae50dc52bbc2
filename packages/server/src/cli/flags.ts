// Command-line flags: one declaration per flag (kind, help, default), parsed
// and checked in one place, so every bad value is a usage error (exit 2) that
// names the flag.
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  override name = 'UsageError';
}

type Kind = 'string' | 'path' | 'ip' | 'port' | 'count' | 'origins' | 'host-ports' | 'duration' | 'size' | 'name';

export interface Flag {
  kind: Kind;
  help: string;
  /** Shown in --help and used when the flag is absent; no default and not optional = required. */
  default?: string;
  optional?: boolean;
}

export type Flags = Record<string, Flag>;

export interface Command {
  /** e.g. "config turn". */
  name: string;
  summary: string;
  flags: Flags;
  /** Resolves to the exit code, or to a stop function when the command keeps running (serve, stack). */
  run(values: Record<string, unknown>, io: Io): Promise<number | (() => Promise<void>)>;
}

export interface Io {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
}

const fail = (flag: string, want: string, got: string): never => {
  throw new UsageError(`--${flag} must be ${want}, got ${JSON.stringify(got)}`);
};

function integer(flag: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max) fail(flag, `an integer from ${min} to ${max}`, v);
  return n;
}

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

function parseValue(flag: string, kind: Kind, v: string): unknown {
  switch (kind) {
    case 'string':
    case 'path':
      if (!v) fail(flag, 'non-empty', v);
      return v;
    case 'name':
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(v)) fail(flag, 'letters, digits, _ or - (at most 64)', v);
      return v;
    case 'ip':
      if (!isIP(v)) fail(flag, 'an IPv4 or IPv6 address', v);
      return v;
    case 'port':
      return integer(flag, v, 1, 65535);
    case 'count':
      return integer(flag, v, 1, 100_000_000);
    case 'duration':
      if (!/^\d+(ms|s|m|h)$/.test(v)) fail(flag, 'a duration such as 30s or 2m', v);
      return v;
    case 'size':
      if (!/^\d+(B|KB|MB)$/.test(v)) fail(flag, 'a size such as 512KB or 1MB', v);
      return v;
    case 'origins': {
      const origins = list(v);
      if (origins.length === 0) fail(flag, 'a comma-separated list of https:// origins', v);
      for (const o of origins) {
        let ok = false;
        try {
          const u = new URL(o);
          // An origin is scheme://host[:port] and nothing else; http:// is for loopback development only.
          ok = u.origin === o && (u.protocol === 'https:' || (u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)));
        } catch {
          ok = false;
        }
        if (!ok) fail(flag, 'https:// origins (scheme://host[:port], no path)', o);
      }
      return origins;
    }
    case 'host-ports': {
      const items = list(v);
      for (const hp of items) if (!/^[A-Za-z0-9.[\]:-]+:\d{1,5}$/.test(hp)) fail(flag, 'a comma-separated list of host:port', hp);
      return items;
    }
  }
}

/** Parse argv for `cmd`; throws UsageError on an unknown, repeated, missing or malformed flag. */
export function parseFlags(cmd: Command, argv: string[]): Record<string, unknown> {
  const options = Object.fromEntries(Object.keys(cmd.flags).map((k) => [k, { type: 'string' as const }]));
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(cmd.flags)) {
    const v = (parsed.values as Record<string, string | undefined>)[name] ?? f.default;
    if (v === undefined) {
      if (f.optional) continue;
      throw new UsageError(`--${name} is required (${f.help})`);
    }
    out[name] = parseValue(name, f.kind, v);
  }
  return out;
}

export function usage(cmd: Command): string {
  const lines = [`usage: wd-video ${cmd.name} ${Object.entries(cmd.flags).map(([k, f]) => (f.default !== undefined || f.optional ? `[--${k} ${f.kind.toUpperCase()}]` : `--${k} ${f.kind.toUpperCase()}`)).join(' ')}`, '', cmd.summary, ''];
  for (const [k, f] of Object.entries(cmd.flags)) lines.push(`  --${k.padEnd(22)} ${f.help}${f.default !== undefined ? ` (default ${f.default})` : ''}`);
  return lines.join('\n');
}
