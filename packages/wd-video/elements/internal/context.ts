import { createContext } from '@lit/context';
import type { VideoClient } from './sdk.js';

/**
 * `<wd-video-client>` provides its VideoClient to every descendant through this
 * context (undefined until the SDK has loaded and the client exists).
 */
export const clientContext = createContext<VideoClient | undefined>(Symbol('wd-video-client'));
