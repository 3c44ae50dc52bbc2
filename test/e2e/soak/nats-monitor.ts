// What nats-server itself says about the soak's clients: its monitoring
// endpoint (/connz?subs=1) lists every connection, named `wd-video/<uid>` by
// the SDK, with its subscriptions. The server's view, not the client's: a
// subscription the SDK forgot to remove, or a second connection it opened,
// shows here.

interface Connz {
  num_connections: number;
  connections: { name?: string; subscriptions: number; subscriptions_list?: string[] }[];
}

export interface NatsView {
  /** Every client connection on the server. */
  connections: number;
  /** Per uid: its connections and their subscriptions (subjects, sorted). */
  clients: Record<string, { connections: number; subscriptions: number; subjects: string[] }>;
}

/** The server's view of `uids` (and the total), from the monitoring port. */
export async function natsView(monitorPort: number, uids: string[]): Promise<NatsView> {
  const res = await fetch(`http://127.0.0.1:${monitorPort}/connz?subs=1&limit=4096`);
  if (!res.ok) throw new Error(`nats-server /connz answered ${res.status}`);
  const connz = (await res.json()) as Connz;
  const clients: NatsView['clients'] = {};
  for (const uid of uids) {
    const mine = connz.connections.filter((c) => c.name === `wd-video/${uid}`);
    clients[uid] = {
      connections: mine.length,
      subscriptions: mine.reduce((n, c) => n + c.subscriptions, 0),
      subjects: mine.flatMap((c) => c.subscriptions_list ?? []).sort(),
    };
  }
  return { connections: connz.num_connections, clients };
}
