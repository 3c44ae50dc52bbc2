// `cem analyze` (run by `npm run build`) writes custom-elements.json, the
// manifest IDEs, Storybook and framework wrappers read (package.json "customElements").
export default {
  globs: ['elements/**/*.ts'],
  exclude: ['elements/**/*.test.ts'],
  outdir: '.',
  litelement: true,
  dependencies: false,
  packagejson: false,
};
