// Entry of the CDN bundle dist/wd-video.js: the call SDK and the elements,
// which register themselves (<wd-video-client>, <wd-call>, <wd-incoming-call>)
// when this module loads. Plain JS syntax on purpose: rollup.config.mjs reads
// this file directly when tsc has not emitted build/cdn.js.
export * from './signaling/index.js';
export * from './elements/index.js';
