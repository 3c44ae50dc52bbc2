// Serves demo/ and the built bundles for `npm start`. Only files under the
// named roots; `..` and absolute paths cannot escape them.
import { createReadStream, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** `mounts` maps a URL prefix (e.g. `/dist/`) to a folder. Returns false when nothing matched. */
export function serveStatic(pathname: string, mounts: Record<string, string>, res: ServerResponse): boolean {
  for (const [prefix, dir] of Object.entries(mounts)) {
    if (!pathname.startsWith(prefix)) continue;
    const root = resolve(dir);
    let rel: string;
    try {
      rel = decodeURIComponent(pathname.slice(prefix.length));
    } catch {
      return false; // malformed %-escape: a 404, not a 500
    }
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = resolve(join(root, normalize(rel)));
    if (file !== root && !file.startsWith(root + sep)) return false;
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) return false;
      size = st.size;
    } catch {
      return false;
    }
    res.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'content-length': size,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    // Without an error listener a read failure (file gone since stat) would crash the service.
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
    return true;
  }
  return false;
}
