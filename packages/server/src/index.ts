// @wd-video/server: the token service, the key and config generation for
// nats-server and coturn, and the local stack launcher.
export { loadConfig, defaults, type Config } from './config.js';
export { startTokenService, type TokenService, type TokenServiceOptions } from './token-service.js';
export { issueSession, turnCredential } from './credentials.js';
export { generateKeys, loadOrCreateKeys, type ServiceKeys, type StackKeys } from './keys.js';
export { encodeAccountJwts, scopedSigningKey, type AccountLimits } from './account.js';
export { runCli } from './cli/run.js';
export { startStack, type Stack, type StackOptions, type NatsNode } from './stack.js';
