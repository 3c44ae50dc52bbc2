// Bundles for browsers. Input is tsc's output in build/ (tsc is the only
// TypeScript compiler in the project, so types are checked once).
//
// dist/wd-video.js           the CDN bundle (cdn.ts): SDK + elements, registered on load;
//                            nats.ws arrives in a lazy chunk when the client connects.
// dist/wd-video-elements.js  the elements alone: they render at once, and the SDK
//                            (signaling/) is a lazily imported chunk.
// dist/wd-video.classic.js   classic script (IIFE, no modules): the elements and the
//                            global `wdVideo`; lazy chunks inlined, as scripts cannot import.
// dist/wd-video-sw.js        the service worker for call pushes (classic script: every
//                            browser runs those as workers).
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { rmSync } from 'node:fs';

/** Empties dist/ once per build, so chunks of earlier builds (hashed names) do not pile up. */
function cleanDist() {
  return {
    name: 'wd-clean-dist',
    buildStart() {
      rmSync('dist', { recursive: true, force: true });
    },
  };
}

const output = {
  dir: 'dist',
  format: 'es',
  entryFileNames: '[name].js',
  chunkFileNames: 'chunks/[name]-[hash].js',
  sourcemap: true,
};
// tsc's __decorate helper reads `this` at module top level; in ES modules it is undefined, as tsc expects.
const onwarn = (warning, warn) => {
  if (warning.code !== 'THIS_IS_UNDEFINED') warn(warning);
};
const plugins = () => [nodeResolve({ browser: true }), terser({ format: { comments: false } })];

export default [
  {
    input: { 'wd-video': 'build/cdn.js' },
    // The elements import the SDK dynamically and this entry statically: letting the
    // entry chunk export a few internal names keeps it one file instead of a facade.
    preserveEntrySignatures: 'allow-extension',
    output,
    onwarn,
    plugins: [cleanDist(), ...plugins()],
  },
  {
    input: { 'wd-video-elements': 'build/elements/index.js' },
    // The lazy SDK chunk imports the state predicates the elements load statically
    // (elements/internal/sdk.ts): let the entry export them rather than become a facade.
    preserveEntrySignatures: 'allow-extension',
    output,
    onwarn,
    plugins: plugins(),
  },
  {
    input: 'build/classic.js',
    output: { file: 'dist/wd-video.classic.js', format: 'iife', name: 'wdVideo', exports: 'default', inlineDynamicImports: true, sourcemap: true },
    onwarn,
    plugins: plugins(),
  },
  {
    input: 'build/sw.js',
    output: { file: 'dist/wd-video-sw.js', format: 'iife', sourcemap: true },
    onwarn,
    plugins: plugins(),
  },
];
