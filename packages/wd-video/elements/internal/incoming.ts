import type { Conversation } from './sdk.js';

// Conversations whose `wd-incoming` event the page cancelled: the page answers
// them itself, so `<wd-incoming-call>` must not ring for them. `<wd-video-client>`
// subscribes to `called` before any descendant can, so it marks first.
const handledByPage = new WeakSet<Conversation>();

export const markHandledByPage = (c: Conversation) => void handledByPage.add(c);
export const isHandledByPage = (c: Conversation) => handledByPage.has(c);
