// Where the workspace keeps what the development stack serves and the tests load.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** The browser package (its dist/ is the CDN bundle). */
export const browserPackage = join(root, 'packages', 'wd-video');

/** What the token service serves under `npm start` and `npm test`: the stable development URLs. */
export const devStaticMounts = () => ({
  '/demo/': join(root, 'demo'),
  '/dist/': join(browserPackage, 'dist'),
  '/examples/': join(root, 'examples'),
});
