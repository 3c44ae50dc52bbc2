// `wd-video keys service-creds --dir DIR`: a new service.creds (the call
// history's and push store's NATS user) from the account seed in DIR.
import { resolve } from 'node:path';
import { SECRET_FILES, writeServiceCreds } from '../prod/key-files.js';
import type { Command } from './flags.js';

export const keysServiceCreds: Command = {
  name: 'keys service-creds',
  summary: `Write a new ${SECRET_FILES.serviceCreds} from ${SECRET_FILES.accountSeed} in the keys folder (admin machine), with the permissions this version needs: for a folder made by an older keys init. Copy it to the token service hosts and restart them.`,
  flags: {
    dir: { kind: 'path', help: `the keys folder holding ${SECRET_FILES.accountSeed}` },
  },
  async run(v, io) {
    const file = await writeServiceCreds(resolve(v.dir as string));
    io.out(`wd-video: wrote ${file}`);
    return 0;
  },
};
