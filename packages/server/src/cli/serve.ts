// `wd-video serve`: the token service alone (stateless; run N behind a proxy),
// holding only the scoped signing seed, the account's public key and the TURN secret.
import { resolve } from 'node:path';
import { loadConfig } from '../config.js';
import { readServiceKeys } from '../prod/key-files.js';
import { startTokenService } from '../token-service.js';
import { UsageError, type Command } from './flags.js';

export const serve: Command = {
  name: 'serve',
  summary: 'Run the token service (POST /v1/session). Configuration: WD_* environment variables and WD_CONFIG (README, Configuration). Keys: signing.nk, account.pub and turn-secret (or WD_TURN_SECRET), and service.creds for the call history, from --keys or WD_KEYS_DIR.',
  flags: {
    keys: { kind: 'path', help: 'folder with signing.nk, account.pub, turn-secret (default $WD_KEYS_DIR)', optional: true },
  },
  async run(v, io) {
    const dir = (v.keys as string | undefined) ?? io.env.WD_KEYS_DIR;
    if (!dir) throw new UsageError('--keys is required (or WD_KEYS_DIR): the folder with signing.nk and account.pub');
    const config = loadConfig(io.env);
    const keys = readServiceKeys(resolve(dir), config.turnSecret);
    const service = await startTokenService(config, keys, { log: (l) => io.out(`wd-video: ${l}`), ...(keys.serviceCreds ? { serviceCreds: keys.serviceCreds } : {}) });
    if (!keys.serviceCreds) io.out('wd-video: no service.creds in the keys folder: call history is off, push subscriptions stay in this instance\'s state folder');
    io.out(`wd-video: token service on ${service.url}`);
    return () => service.close();
  },
};
