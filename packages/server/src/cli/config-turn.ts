// `wd-video config turn`: one coturn server's production config.
import { prodTurnConf } from '../prod/turn-conf.js';
import { UsageError, type Command } from './flags.js';
import { writeSecretFile } from './write-out.js';

export const configTurn: Command = {
  name: 'config turn',
  summary: 'Write a production coturn config. The TURN secret comes from WD_TURN_SECRET (the turn-secret file of `wd-video keys init`), never from the command line.',
  flags: {
    'listen-ip': { kind: 'ip', help: 'address coturn listens and relays on' },
    'public-ip': { kind: 'ip', help: 'address browsers reach (differs from --listen-ip behind 1:1 NAT)' },
    port: { kind: 'port', help: 'TURN port (UDP and TCP)', default: '3478' },
    out: { kind: 'path', help: 'config file to write (mode 0600)' },
    'tls-cert': { kind: 'path', help: 'TLS certificate for turns: (PEM)', optional: true },
    'tls-key': { kind: 'path', help: 'TLS private key (PEM)', optional: true },
    'tls-port': { kind: 'port', help: 'turns: port, with --tls-cert', default: '5349' },
    realm: { kind: 'name', help: 'TURN realm', default: 'wd-video' },
    'min-port': { kind: 'port', help: 'lowest relay port', default: '49152' },
    'max-port': { kind: 'port', help: 'highest relay port', default: '65535' },
    'user-quota': { kind: 'count', help: 'concurrent relays per credential', default: '10' },
    'total-quota': { kind: 'count', help: 'concurrent relays on this server', default: '2000' },
    'max-bps': { kind: 'count', help: 'bytes per second per relay', default: '500000' },
  },
  async run(v, io) {
    const secret = io.env.WD_TURN_SECRET;
    if (!secret) throw new UsageError('WD_TURN_SECRET is not set: export the turn-secret file of `wd-video keys init`');
    if (secret.length < 32) throw new UsageError('WD_TURN_SECRET must be at least 32 characters');
    if ((v['tls-cert'] === undefined) !== (v['tls-key'] === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
    if ((v['min-port'] as number) > (v['max-port'] as number)) throw new UsageError('--min-port must not be above --max-port');
    const conf = prodTurnConf({
      listenIp: v['listen-ip'] as string,
      publicIp: v['public-ip'] as string,
      port: v.port as number,
      secret,
      realm: v.realm as string,
      tlsCert: v['tls-cert'] as string | undefined,
      tlsKey: v['tls-key'] as string | undefined,
      tlsPort: v['tls-port'] as number,
      minPort: v['min-port'] as number,
      maxPort: v['max-port'] as number,
      userQuota: v['user-quota'] as number,
      totalQuota: v['total-quota'] as number,
      maxBps: v['max-bps'] as number,
    });
    writeSecretFile(v.out as string, conf);
    io.out(`wd-video: wrote ${v.out}; run \`turnserver -c ${v.out}\``);
    return 0;
  },
};
