// `wd-video stack`: nats-server, coturn and the token service on this machine, on loopback (development).
import { loadConfig } from '../config.js';
import { startStack } from '../stack.js';
import type { Command } from './flags.js';

export const stack: Command = {
  name: 'stack',
  summary: 'Run the development stack: nats-server, coturn and the token service on 127.0.0.1, with keys in the state folder. Not for production.',
  flags: {},
  async run(_v, io) {
    const s = await startStack(loadConfig(io.env), { log: (l) => io.out(`wd-video: ${l}`) });
    io.out(`wd-video: development stack running: ${s.url}`);
    return () => s.stop();
  },
};
