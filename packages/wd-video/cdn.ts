// Entry of the CDN bundle dist/wd-video.js: the call SDK and the elements,
// which register themselves (<wd-video-client>, <wd-call>, <wd-incoming-call>)
// when this module loads. tsc compiles it to build/cdn.js, the input
// rollup.config.mjs bundles.
export * from './signaling/index.js';
export * from './elements/index.js';
