// `wd-video keys init --dir DIR`: the operator, the account with its scoped
// signing key, the system account, the TURN secret and the route password.
import { resolve } from 'node:path';
import { defaultAccountLimits } from '../account.js';
import { PLACEMENT, initKeyDir } from '../prod/key-files.js';
import type { Command } from './flags.js';

export const keysInit: Command = {
  name: 'keys init',
  summary: 'Create the NATS operator, account (with a signing key scoped to one uid per user) and system account, the TURN secret and the cluster route password, each secret in its own file (mode 0600). Run it on an admin machine.',
  flags: {
    dir: { kind: 'path', help: 'new or empty folder for the keys' },
  },
  async run(v, io) {
    const dir = resolve(v.dir as string);
    const written = await initKeyDir(dir, defaultAccountLimits);
    io.out(`wd-video: wrote ${written.length} files to ${dir}`);
    io.out('Which file goes on which machine:');
    for (const [where, what] of PLACEMENT) io.out(`  ${where}: ${what}`);
    return 0;
  },
};
