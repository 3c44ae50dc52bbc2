// `npm start`: set up, run nats-server + coturn + the token service (which
// serves the demo), print the URL, and stop everything on Ctrl-C / SIGTERM.
import { devStaticMounts } from './dev-paths.mjs';
import { prepare } from './prepare.mjs';

// WD_SKIP_PREPARE=1: skip install and build, for callers that already built (the
// start smoke test runs beside the test suite, whose build/ a rebuild would rewrite).
if (!/^(1|true|yes|on)$/i.test(process.env.WD_SKIP_PREPARE ?? '')) prepare({ needBrowser: false });

const { loadConfig } = await import('@wd-video/server');
const { startStack } = await import('@wd-video/server');

// The demo signs in anonymously, so anonymous sign-in is on unless WD_ANONYMOUS
// is set to something other than 1/true/yes/on. Like serveStatic, this override
// wins over a WD_CONFIG file's "anonymous" key (issue 9).
const config = loadConfig(process.env, {
  anonymous: process.env.WD_ANONYMOUS ? /^(1|true|yes|on)$/i.test(process.env.WD_ANONYMOUS) : true,
  serveStatic: true,
});
const stack = await startStack(config, { log: (l) => console.log(`wd-video: ${l}`), staticMounts: devStaticMounts() });
console.log(`\nwd-video is running: open ${stack.url}/demo/ in two tabs.\nPress Ctrl-C to stop.\n`);

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\nwd-video: ${signal}, stopping nats-server, coturn and the token service`);
  await stack.stop();
  process.exit(0);
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
