#!/usr/bin/env node
// The server's own entry point (`wd-video-server`):
//   wd-video-server          the token service alone, with nats-server and coturn run elsewhere
//   wd-video-server stack    nats-server + coturn + token service on this machine (development)
// Configuration comes from WD_* environment variables and WD_CONFIG (see config.ts).
import { loadConfig } from './config.js';
import { loadOrCreateKeys } from './keys.js';
import { startStack } from './stack.js';
import { startTokenService } from './token-service.js';

const mode = process.argv[2] ?? 'token-service';
const log = (line: string) => console.log(`wd-video: ${line}`);
const config = loadConfig(process.env);

let stop: () => Promise<void>;
if (mode === 'stack') {
  const stack = await startStack(config, { log });
  stop = () => stack.stop();
  log(`running: ${stack.url}`);
} else if (mode === 'token-service') {
  const service = await startTokenService(config, loadOrCreateKeys(config.stateDir), { log });
  stop = () => service.close();
  log(`token service on ${service.url}`);
} else {
  console.error(`usage: wd-video-server [token-service|stack]`);
  process.exit(2);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log(`${signal}, stopping`);
    await stop();
    process.exit(0);
  });
}
