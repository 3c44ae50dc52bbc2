// The elements' public barrel. Importing it registers <wd-video-client>,
// <wd-call>, <wd-incoming-call>, <wd-call-history> and <wd-device-check>. The
// device check's panel, the history's list and <wd-call>'s device menu each
// load as their own chunk when first used.
export { WdVideoClient } from './video-client/wd-video-client.js';
export { WdCall } from './call/wd-call.js';
export { WdIncomingCall } from './incoming-call/wd-incoming-call.js';
export { WdCallHistory } from './call-history/wd-call-history.js';
export { WdDeviceCheck } from './device-check/wd-device-check.js';
export type { WdDeviceMenu } from './device-menu/device-menu.js';
export { clientContext } from './internal/context.js';
export { setStrings } from './internal/localize.js';
export { getPreferredDevices, setPreferredDevices, type PreferredDevices } from './internal/preferred-devices.js';
export { en as stringsEn, zhCN as stringsZhCN, type WdStrings } from './internal/strings.js';
export type * from './events.js';
export type * from './device-events.js';
export type { WdCheckStrings } from './device-check/check-strings.js';
export type { WdHistoryStrings } from './call-history/history-strings.js';
export type { WdDeviceStrings } from './internal/device-strings.js';
