// Fixed-window counter per client address. In memory: each token-service
// instance limits on its own, which is enough against a single abusive client.
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** Most keys kept; past it the oldest window goes, so a spray of addresses cannot grow memory without bound. */
const MAX_KEYS = 100_000;

export class RateLimiter {
  // A Map iterates in insertion order, and a key is (re)inserted whenever its
  // window starts: the first entry is always the oldest window. Expiry pops
  // from the front and stops at the first live one, so each take() costs
  // O(1) amortised, however many keys there are.
  private windows = new Map<string, { start: number; count: number }>();

  /** `limit` 0 means no limit (WD_RATE_LIMIT=0 turns the limiter off). */
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  get size(): number {
    return this.windows.size;
  }

  /** Returns 0 when allowed, else the seconds to wait. */
  take(key: string, now = Date.now()): number {
    if (this.limit === 0) return 0;
    this.expire(now);
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      this.windows.delete(key);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > MAX_KEYS) this.windows.delete(this.windows.keys().next().value!);
    }
    if (w.count >= this.limit) return Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
    w.count++;
    return 0;
  }

  private expire(now: number) {
    for (const [k, w] of this.windows) {
      if (now - w.start < this.windowMs) return;
      this.windows.delete(k);
    }
  }
}

/** `::ffff:1.2.3.4` -> `1.2.3.4`, so one client is one key whichever way the socket reports it. */
function plain(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1] : ip;
}

/** The IPv6 /64 a client holds (one subscriber gets a whole /64), or the IPv4 address. */
function bucketOf(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/**
 * Who a request comes from, for rate limiting and logs. The socket address,
 * unless that is a trusted proxy: then X-Forwarded-For, read from the right
 * (each proxy appends the address it saw), skipping trusted proxies. The first
 * address a trusted proxy did not vouch for is the client; whatever a client
 * writes into the header itself sits left of that and is never read. Without
 * trusted proxies the header is ignored, so a client cannot pick its bucket.
 */
export function clientAddress(req: IncomingMessage, trusted: BlockList | undefined): string {
  let ip = plain(req.socket.remoteAddress ?? 'unknown');
  if (!trusted || !isTrusted(trusted, ip)) return ip;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((s) => plain(s.trim()));
  for (let i = hops.length - 1; i >= 0; i--) {
    // Garbage where an address should be: the proxy sent it, so stop at the proxy.
    if (!isIP(hops[i])) return ip;
    ip = hops[i];
    if (!isTrusted(trusted, ip)) return ip;
  }
  return ip;
}

/** The rate limiter's key for a client address. */
export const rateKey = (ip: string) => bucketOf(ip);

function isTrusted(list: BlockList, ip: string): boolean {
  const family = isIP(ip);
  return family !== 0 && list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/** trustedProxies (IPs and CIDRs, checked by config.ts) as a BlockList, or undefined when empty. */
export function trustedProxyList(entries: string[]): BlockList | undefined {
  if (entries.length === 0) return undefined;
  const list = new BlockList();
  for (const e of entries) {
    const [ip, bits] = e.split('/');
    const type = isIP(ip) === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(ip, type);
    else list.addSubnet(ip, Number(bits), type);
  }
  return list;
}
