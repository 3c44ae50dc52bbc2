// `wd-video config nats`: one node's production nats-server config.
import { resolve } from 'node:path';
import { encodeAccountJwts } from '../account.js';
import { readAdminKeys } from '../prod/key-files.js';
import { prodNatsConf } from '../prod/nats-conf.js';
import { UsageError, type Command } from './flags.js';
import { writeSecretFile } from './write-out.js';

/** The route user name; the password is the keys folder's route-password. */
export const ROUTE_USER = 'wd-route';

export const configNats: Command = {
  name: 'config nats',
  summary:
    'Write one nats-server node\'s production config from the keys folder (needs operator.nk: run it on the admin machine and copy the file). Generate every node with the same limits: each embeds the account JWT.',
  flags: {
    keys: { kind: 'path', help: 'the folder from `wd-video keys init`' },
    out: { kind: 'path', help: 'config file to write (mode 0600)' },
    name: { kind: 'name', help: 'this node\'s server_name, unique in the cluster' },
    'tls-cert': { kind: 'path', help: 'WebSocket TLS certificate (PEM, full chain)' },
    'tls-key': { kind: 'path', help: 'WebSocket TLS private key (PEM)' },
    'allowed-origins': { kind: 'origins', help: 'comma-separated origins of the pages that embed wd-video' },
    'ws-host': { kind: 'ip', help: 'WebSocket listen address', default: '0.0.0.0' },
    'ws-port': { kind: 'port', help: 'WebSocket (wss://) port', default: '443' },
    port: { kind: 'port', help: 'plain TCP client port, on 127.0.0.1 only', default: '4222' },
    'monitor-port': { kind: 'port', help: 'HTTP monitoring port, on 127.0.0.1 only', default: '8222' },
    'max-connections': { kind: 'count', help: 'client connections on this node', default: '20000' },
    'account-max-connections': { kind: 'count', help: 'connections of the wd-video account (all users together; nats-server 2.9 has no per-user limit)', default: '20000' },
    'max-subs': { kind: 'count', help: 'subscriptions per user connection', default: '100' },
    'max-payload': { kind: 'count', help: 'bytes per message', default: '65536' },
    'max-pending': { kind: 'size', help: 'unsent bytes per connection before it is cut as a slow consumer', default: '1MB' },
    'lame-duck': { kind: 'duration', help: 'time to move clients off on shutdown', default: '30s' },
    'store-dir': { kind: 'path', help: 'JetStream store folder of this node (the call history)', default: '/var/lib/wd-video/jetstream' },
    'max-file-store': { kind: 'size', help: 'JetStream file storage cap of this node', default: '1024MB' },
    'cluster-name': { kind: 'name', help: 'cluster name (with --routes)', default: 'wd-video' },
    'cluster-host': { kind: 'ip', help: 'route listen address', default: '0.0.0.0' },
    'cluster-port': { kind: 'port', help: 'route port', default: '6222' },
    routes: { kind: 'host-ports', help: 'the other nodes\' route addresses, host:port,...', optional: true },
    'cluster-tls-cert': { kind: 'path', help: 'route TLS certificate, signed by --cluster-tls-ca', optional: true },
    'cluster-tls-key': { kind: 'path', help: 'route TLS private key', optional: true },
    'cluster-tls-ca': { kind: 'path', help: 'CA that signs every node\'s route certificate', optional: true },
  },
  async run(v, io) {
    const routes = v.routes as string[] | undefined;
    if (routes) {
      for (const f of ['cluster-tls-cert', 'cluster-tls-key', 'cluster-tls-ca']) {
        if (v[f] === undefined) throw new UsageError(`--${f} is required with --routes (routes always use mutual TLS)`);
      }
    }
    const keys = readAdminKeys(resolve(v.keys as string));
    const maxPayload = v['max-payload'] as number;
    const jwts = await encodeAccountJwts(keys, { maxSubs: v['max-subs'] as number, maxPayload, maxConnections: v['account-max-connections'] as number });
    const conf = prodNatsConf(
      {
        name: v.name as string,
        port: v.port as number,
        wsHost: v['ws-host'] as string,
        wsPort: v['ws-port'] as number,
        tlsCert: resolve(v['tls-cert'] as string),
        tlsKey: resolve(v['tls-key'] as string),
        allowedOrigins: v['allowed-origins'] as string[],
        monitorPort: v['monitor-port'] as number,
        maxConnections: v['max-connections'] as number,
        maxPayload,
        maxPending: v['max-pending'] as string,
        lameDuck: v['lame-duck'] as string,
        jetstream: { storeDir: resolve(v['store-dir'] as string), maxFile: v['max-file-store'] as string },
        cluster: routes
          ? {
              name: v['cluster-name'] as string,
              host: v['cluster-host'] as string,
              port: v['cluster-port'] as number,
              routes,
              user: ROUTE_USER,
              password: keys.routePassword,
              tlsCert: resolve(v['cluster-tls-cert'] as string),
              tlsKey: resolve(v['cluster-tls-key'] as string),
              tlsCa: resolve(v['cluster-tls-ca'] as string),
            }
          : undefined,
      },
      jwts,
    );
    writeSecretFile(v.out as string, conf);
    io.out(`wd-video: wrote ${v.out}; check it with \`nats-server -c ${v.out} -t\``);
    return 0;
  },
};
