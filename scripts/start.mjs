// `npm start`: set up, run nats-server + coturn + the token service (which
// serves the demo), print the URL, and stop everything on Ctrl-C / SIGTERM.
// This is the development stack: loopback, anonymous sign-in. Production runs
// the server package's own entry point (README "Deploy").
import { devStaticMounts } from './dev-paths.mjs';
import { prepare } from './prepare.mjs';

// WD_SKIP_PREPARE=1: skip install and build, for callers that already built (the
// start smoke test runs beside the test suite, whose build/ a rebuild would rewrite).
if (!/^(1|true|yes|on)$/i.test(process.env.WD_SKIP_PREPARE ?? '')) prepare({ needBrowser: false });

const { loadConfig, startStack } = await import('@wd-video/server');
const { devBase } = await import('./dev-config.mjs');

let config;
try {
  config = loadConfig(process.env, {}, devBase);
} catch (e) {
  // One line naming the key, not a stack trace.
  console.error(`wd-video: ${e.message}`);
  process.exit(1);
}
console.log(
  `wd-video: this is the DEVELOPMENT stack (env ${config.env}, anonymous sign-in ${config.anonymous ? 'ON: anyone can be any uid' : 'off'}). ` +
    'Do not expose it; README "Deploy" describes production.',
);
const natsNodes = clusterSize(process.argv.slice(2), process.env.WD_NATS_CLUSTER);
const stack = await startStack(config, { natsNodes, log: (l) => console.log(`wd-video: ${l}`), staticMounts: devStaticMounts() });
if (stack.clusterFile) console.log(`wd-video: ${natsNodes}-node nats cluster; nodes, pids and monitor URLs in ${stack.clusterFile}`);
console.log(
  config.serveStatic
    ? `\nwd-video is running: open ${stack.url}/demo/ in two tabs.\nPress Ctrl-C to stop.\n`
    : `\nwd-video is running: token service ${stack.url}/v1/session.\nPress Ctrl-C to stop.\n`,
);

/** `npm start -- --cluster 3` or WD_NATS_CLUSTER=3: nats-server nodes to run (1 to 9); a bad value stops here. */
function clusterSize(argv, env) {
  const i = argv.indexOf('--cluster');
  const raw = i >= 0 ? argv[i + 1] : env;
  if (raw === undefined || raw === '') return 1;
  if (!/^[1-9]$/.test(raw)) {
    console.error(`wd-video: ${i >= 0 ? '--cluster' : 'WD_NATS_CLUSTER'} must be a node count from 1 to 9, got ${JSON.stringify(raw)}`);
    process.exit(1);
  }
  return Number(raw);
}

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
