// The `wd-video` command: finds the subcommand, parses its flags, runs it.
// Exit codes: 0 done, 1 failed (bad configuration, a file that is missing or
// must not be there), 2 usage error (unknown command or flag, bad flag value).
import { configNats } from './config-nats.js';
import { configTurn } from './config-turn.js';
import { UsageError, parseFlags, usage, type Command, type Io } from './flags.js';
import { keysInit } from './keys-init.js';
import { keysServiceCreds } from './keys-service-creds.js';
import { serve } from './serve.js';
import { stack } from './stack.js';

export const COMMANDS: readonly Command[] = [serve, stack, keysInit, keysServiceCreds, configNats, configTurn];

/** The command names' column width in the overview. */
const NAME_WIDTH = Math.max(...COMMANDS.map((c) => c.name.length));
const overview = () =>
  ['usage: wd-video <command> [flags]   (wd-video <command> --help for its flags)', '', ...COMMANDS.map((c) => `  ${c.name.padEnd(NAME_WIDTH)} ${c.summary.split('. ')[0]}`)].join('\n');

/** Run one command line; resolves to an exit code, or to a stop function for serve and stack. */
export async function runCli(argv: string[], io: Io): Promise<number | (() => Promise<void>)> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    (argv.length === 0 ? io.err : io.out)(overview());
    return argv.length === 0 ? 2 : 0;
  }
  const cmd = COMMANDS.find((c) => {
    const words = c.name.split(' ');
    return words.every((w, i) => argv[i] === w);
  });
  if (!cmd) {
    io.err(`wd-video: unknown command "${argv.slice(0, 2).join(' ')}"\n${overview()}`);
    return 2;
  }
  const rest = argv.slice(cmd.name.split(' ').length);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(usage(cmd));
    return 0;
  }
  try {
    return await cmd.run(parseFlags(cmd, rest), io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`wd-video ${cmd.name}: ${e.message}\n(wd-video ${cmd.name} --help for its flags)`);
      return 2;
    }
    io.err(`wd-video ${cmd.name}: ${(e as Error).message}`);
    return 1;
  }
}
