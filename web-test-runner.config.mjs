// Browser tests (SDK and elements) in Debian's Chromium, Firefox and WebKit
// (test/browser/launchers.mjs) against the real stack.
// `npm test` (scripts/test.mjs) starts the stack, sets WD_TEST_* and runs this
// config in the same process, so the `wd-stack` command can restart nats-server.
import { clusterCommands } from './test/browser/cluster-commands.mjs';
import { defaultReporter } from '@web/test-runner';
import { failureSummaryReporter } from './test/browser/failure-summary-reporter.mjs';
import { browsers } from './test/browser/launchers.mjs';

// The e2e tests and the benchmarks launch Chromium with the same flags.
export { chromiumArgs } from './test/browser/launchers.mjs';

const testEnv = {
  authUrl: `${process.env.WD_TEST_HTTP_URL ?? 'http://127.0.0.1:8080'}/v1/session`,
};

/** Lets a browser test ask Node to act on the stack (restart nats-server mid-call). */
const extraServices = [];
function stackCommands() {
  return {
    async serverStop() {
      await Promise.all(extraServices.splice(0).map((s) => s.close()));
    },
    name: 'wd-stack',
    async executeCommand({ command, payload }) {
      if (command !== 'wd-stack') return undefined;
      const stack = globalThis.wdTestStack;
      if (!stack) throw new Error('wd-stack: no stack in this process (run through npm test)');
      if (payload?.action === 'restart-nats') {
        await stack.restartNats(payload.index ?? 0, payload.downMs ?? 0);
        return { ok: true };
      }
      if (payload?.action === 'token-service') {
        // An extra real token service on the same NATS/TURN with other settings
        // (short credential lifetime, a wrong TURN secret); stopped with the stack.
        const { startTokenService } = await import('@wd-video/server');
        const keys = { ...stack.keys, ...(payload.turnSecret ? { turnSecret: payload.turnSecret } : {}) };
        const svc = await startTokenService(
          {
            ...stack.config,
            httpPort: 0,
            credentialTtl: payload.credentialTtl ?? stack.config.credentialTtl,
            ...(payload.tokenSecret ? { tokenSecret: payload.tokenSecret, anonymous: false } : {}),
          },
          keys,
        );
        extraServices.push(svc);
        return { authUrl: `${svc.url}/v1/session` };
      }
      if (payload?.action === 'prod-turn') {
        // coturn with the production config (`wd-video config turn`) on 127.0.0.2, which
        // plays the relay's public IP (127.0.0.1 stays a denied peer), and a token
        // service whose TURN URLs and secret are that server's; both stopped with the stack.
        const { runCli, startTokenService } = await import('@wd-video/server');
        const { freePort, startChild, stopChild, waitForPort } = await import('@wd-video/server/processes.js');
        const { randomBytes } = await import('node:crypto');
        const { join } = await import('node:path');
        const ip = '127.0.0.2';
        const turnPort = await freePort(ip);
        const turnSecret = randomBytes(32).toString('base64url');
        const out = join(stack.config.stateDir, `prod-turn-${turnPort}.conf`);
        const code = await runCli(['config', 'turn', '--listen-ip', ip, '--public-ip', ip, '--port', String(turnPort), '--out', out], {
          out: () => {},
          err: (l) => console.error(l),
          env: { WD_TURN_SECRET: turnSecret },
        });
        if (code !== 0) throw new Error(`wd-video config turn exited ${code}`);
        const turn = startChild(`prod-turn-${turnPort}`, 'turnserver', ['-c', out], join(stack.config.stateDir, 'logs'));
        extraServices.push({ close: () => stopChild(turn) });
        await waitForPort(turnPort, ip, turn);
        const svc = await startTokenService({ ...stack.config, httpPort: 0, publicHost: ip, turnPort }, { ...stack.keys, turnSecret });
        extraServices.push(svc);
        return { authUrl: `${svc.url}/v1/session`, turn: `${ip}:${turnPort}` };
      }
      if (payload?.action === 'mint-token') {
        // What an app's backend does: sign a custom token for one of its users.
        const { SignJWT } = await import('jose');
        const now = Math.floor(Date.now() / 1000);
        const token = await new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(payload.sub)
          .setIssuedAt(now + (payload.expiresIn < 0 ? payload.expiresIn - 60 : 0))
          .setExpirationTime(now + payload.expiresIn)
          .sign(new TextEncoder().encode(payload.secret));
        return { token };
      }
      throw new Error(`wd-stack: unknown action ${payload?.action}`);
    },
  };
}

export default {
  files: process.env.WD_TEST_BROWSER_FILES?.split(',') ?? ['build/test/browser/**/*.test.js'],
  // The SDK's development build (package.json "imports" #dev-mode): an illegal state transition throws.
  nodeResolve: { browser: true, exportConditions: ['development'] },
  port: Number(process.env.WD_TEST_WTR_PORT ?? 8000),
  hostname: '127.0.0.1',
  concurrency: 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 60_000,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 300_000,
  testFramework: { config: { timeout: 30_000 } },
  // Chromium, Firefox and WebKit one after the other (WD_TEST_BROWSERS picks some):
  // some tests restart the shared nats-server, which another engine's test would feel.
  browsers: browsers(),
  plugins: [stackCommands(), clusterCommands()],
  reporters: [defaultReporter(), failureSummaryReporter()],
  testRunnerHtml: (testFramework) => `<!doctype html><html><head><meta charset="utf-8"></head><body>
<script>window.WD_TEST = ${JSON.stringify(testEnv)};</script>
<script type="module" src="${testFramework}"></script></body></html>`,
};
