// The elements' public barrel. Importing it registers <wd-video-client>,
// <wd-call> and <wd-incoming-call>.
export { WdVideoClient } from './video-client/wd-video-client.js';
export { WdCall } from './call/wd-call.js';
export { WdIncomingCall } from './incoming-call/wd-incoming-call.js';
export { clientContext } from './internal/context.js';
export { setStrings } from './internal/localize.js';
export { en as stringsEn, zhCN as stringsZhCN, type WdStrings } from './internal/strings.js';
export type * from './events.js';
