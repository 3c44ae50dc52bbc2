// Part 1: what a page downloads. Minified, gzip and brotli bytes of our CDN
// bundle (with every chunk it statically imports), its first chunk, the SDK
// alone, the floor (lit + nats.ws bundled alone, in this run), the published
// browser bundle of PeerJS (installed: it is also a set-up contender) and that of
// Twilio Video as pinned in bench/pinned-sizes.json (measured once, with its version).
import { existsSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
/** The browser package: its build/ and dist/. */
const pkg = join(root, 'packages', 'wd-video');

export function sizes(buf) {
  return {
    min: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** `file` and every file it statically imports (relative specifiers), each once. */
export function staticClosure(file, dynamic = false) {
  const seen = new Set();
  const walk = (f) => {
    if (seen.has(f) || !existsSync(f)) return;
    seen.add(f);
    const src = readFileSync(f, 'utf8');
    // Static imports only: `import ... from "x"`, `import "x"`, `export ... from "x"`; not import("x").
    const re = /(?:^|[;}\s])(?:import|export)\s*(?:[^'"();]*?\sfrom\s*)?["'](\.{1,2}\/[^"']+)["']/g;
    for (const m of src.matchAll(re)) walk(resolve(dirname(f), m[1]));
    if (dynamic) for (const m of src.matchAll(/import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g)) walk(resolve(dirname(f), m[1]));
  };
  walk(file);
  return [...seen];
}

const sum = (list) => list.reduce((a, b) => ({ min: a.min + b.min, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }), { min: 0, gzip: 0, brotli: 0 });

/** Bundle `entrySource` alone with rollup + node-resolve + terser (as rollup.config.mjs does); returns the code of all chunks, lazy ones inlined. */
async function bundle(name, entrySource) {
  const { rollup } = await import('rollup');
  const { nodeResolve } = await import('@rollup/plugin-node-resolve');
  const terser = (await import('@rollup/plugin-terser')).default;
  const dir = join(root, 'bench', '.out');
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, `${name}.entry.mjs`);
  writeFileSync(entry, entrySource);
  const b = await rollup({ input: entry, plugins: [nodeResolve({ browser: true, rootDir: root }), terser({ format: { comments: false } })], onwarn: () => {} });
  const { output } = await b.generate({ format: 'es', inlineDynamicImports: true });
  await b.close();
  const code = Buffer.from(output.map((o) => (o.type === 'chunk' ? o.code : '')).join('\n'));
  code.modules = output.flatMap((o) => (o.type === 'chunk' ? Object.entries(o.modules) : []));
  return code;
}

/** Where the bytes come from: tree-shaken (pre-terser) code per package or source folder, gzip of each group. */
function breakdown(modules) {
  const groups = new Map();
  for (const [id, m] of modules) {
    const rel = id.startsWith(root) ? id.slice(root.length + 1) : id;
    const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(rel);
    const key = nm ? nm[1] : rel.split('/').slice(0, 2).join('/');
    groups.set(key, (groups.get(key) ?? '') + (m.code ?? '') + '\n');
  }
  return [...groups].map(([group, code]) => ({ group, ...sizes(Buffer.from(code)) })).sort((a, b) => b.gzip - a.gzip);
}

export async function runSize({ quick = false } = {}) {
  const rows = [];
  const add = (name, s, note = '') => rows.push({ name, ...s, note });
  const distEntry = join(pkg, 'dist', 'wd-video.js');
  if (existsSync(distEntry)) {
    const files = staticClosure(distEntry);
    add('wd-video CDN (dist/wd-video.js + static imports)', sum(files.map((f) => sizes(readFileSync(f)))), `${files.length} file(s)`);
    const all = staticClosure(distEntry, true);
    add('wd-video CDN incl. lazy chunks (static + import())', sum(all.map((f) => sizes(readFileSync(f)))), `${all.length} file(s)`);
    add('wd-video first chunk (dist/wd-video.js)', sizes(readFileSync(distEntry)));
    const elements = join(pkg, 'dist', 'wd-video-elements.js');
    if (existsSync(elements)) {
      const ef = staticClosure(elements);
      add('wd-video elements first chunk (dist/wd-video-elements.js + static imports)', sum(ef.map((f) => sizes(readFileSync(f)))), `${ef.length} file(s)`);
    }
  } else {
    add('wd-video CDN (dist/wd-video.js)', { min: NaN, gzip: NaN, brotli: NaN }, 'missing: run npm run build');
  }
  if (existsSync(join(pkg, 'build', 'signaling', 'index.js'))) {
    add('wd-video SDK alone (build/signaling bundled here)', sizes(await bundle('sdk', `export * from ${JSON.stringify(join(pkg, 'build/signaling/index.js'))};\n`)), 'rollup+terser, lazy chunks inlined');
  }
  let parts;
  // The breakdown costs one more terser pass: left out of --quick.
  if (!quick && existsSync(join(pkg, 'build', 'elements', 'index.js'))) {
    const all = await bundle('sdk-elements', `export * from ${JSON.stringify(join(pkg, 'build/signaling/index.js'))};\nexport * from ${JSON.stringify(join(pkg, 'build/elements/index.js'))};\n`);
    add('wd-video SDK + elements (build/ bundled here, one file)', sizes(all), 'rollup+terser, lazy chunks inlined');
    parts = breakdown(all.modules);
  }
  const floor = sizes(await bundle('floor', `export { LitElement, html, css } from 'lit';\nexport { connect, jwtAuthenticator } from 'nats.ws';\n`));
  add('floor: lit + nats.ws alone', floor, 'rollup+terser, same run');
  const peerjs = join(root, 'node_modules', 'peerjs');
  if (existsSync(join(peerjs, 'dist', 'peerjs.min.js'))) {
    const v = JSON.parse(readFileSync(join(peerjs, 'package.json'), 'utf8')).version;
    add(`peerjs ${v} (dist/peerjs.min.js)`, sizes(readFileSync(join(peerjs, 'dist', 'peerjs.min.js'))), 'published bundle');
  }
  const pinned = JSON.parse(readFileSync(join(root, 'bench', 'pinned-sizes.json'), 'utf8'));
  for (const [name, p] of Object.entries(pinned)) {
    if (name === 'about') continue;
    add(`${name} ${p.version} (${p.file})`, { min: p.min, gzip: p.gzip, brotli: p.brotli }, `published bundle, pinned (measured ${p.date}, bench/pinned-sizes.json)`);
  }
  // Our own code over the floor: everything the CDN user may load (lazy chunks too) minus lit + nats.ws.
  const cdn = rows.find((r) => r.name.includes('incl. lazy')) ?? rows[0];
  const ownOverFloorKB = Number.isFinite(cdn.gzip) ? (cdn.gzip - floor.gzip) / 1024 : NaN;
  const first = rows.find((r) => r.name.startsWith('wd-video elements first chunk')) ?? rows.find((r) => r.name.startsWith('wd-video first chunk'));
  return {
    rows,
    ownOverFloorKBgzip: ownOverFloorKB,
    firstChunk: first?.name,
    firstChunkKBgzip: first ? first.gzip / 1024 : NaN,
    breakdown: parts,
    targets: { ownOverFloorKBgzip: 12, firstChunkKBgzip: 20 },
  };
}

export function printSize(r) {
  const kb = (n) => (Number.isFinite(n) ? (n / 1024).toFixed(1) : '—').padStart(8);
  console.log('\n== 1. Size (KB; min = bytes as shipped) ==');
  console.log(`${'bundle'.padEnd(62)}${'min'.padStart(8)}${'gzip'.padStart(8)}${'brotli'.padStart(8)}  note`);
  for (const x of r.rows) console.log(`${x.name.padEnd(62)}${kb(x.min)}${kb(x.gzip)}${kb(x.brotli)}  ${x.note}`);
  if (r.breakdown) {
    console.log('breakdown of SDK + elements by source (tree-shaken, before minification; gzip per group):');
    console.log('  ' + r.breakdown.filter((x) => x.gzip > 200).map((x) => `${x.group} ${(x.gzip / 1024).toFixed(1)}`).join(', '));
  }
  console.log(`our own code over the floor: ${r.ownOverFloorKBgzip.toFixed(1)} KB gzip (target <= ${r.targets.ownOverFloorKBgzip}); first chunk (${r.firstChunk}) ${r.firstChunkKBgzip.toFixed(1)} KB gzip (target <= ${r.targets.firstChunkKBgzip})`);
}
