// Production builds: a bug the development build would throw on is counted and
// reported as an `error` event instead, and the call goes on (see dev-mode.ts).
export const DEV_MODE = false;
