#!/usr/bin/env node
// The server package's command, `wd-video` (cli/run.ts lists the subcommands):
//   wd-video serve                 the token service alone (production; N of them behind a proxy)
//   wd-video stack                 nats-server + coturn + token service on loopback (development)
//   wd-video keys init --dir DIR   the NATS keys and JWTs, the TURN secret, the route password
//   wd-video config nats|turn ...  production configs from those keys
import { runCli } from './cli/run.js';

const result = await runCli(process.argv.slice(2), {
  out: (l) => console.log(l),
  err: (l) => console.error(l),
  env: process.env,
});
if (typeof result === 'number') process.exit(result);

const stop = result;
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log(`wd-video: ${signal}, stopping`);
    await stop();
    process.exit(0);
  });
}
