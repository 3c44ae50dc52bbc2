// Bundles for browsers. Input is tsc's output in build/ (tsc is the only
// TypeScript compiler in the project, so types are checked once).
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { existsSync } from 'node:fs';

const cdnEntry = existsSync('build/cdn.js') ? 'build/cdn.js' : 'build/signaling/index.js';

export default [
  {
    // dist/wd-video.js: everything a CDN user loads, one ES module entry (+ lazy chunks).
    input: { 'wd-video': cdnEntry },
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: true },
    plugins: [nodeResolve({ browser: true }), terser({ format: { comments: false } })],
  },
];
