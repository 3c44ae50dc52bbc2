// Watching what nats-server does to a connection: the messages a subscription
// gets (and the error that ends it when the server refuses it), and the
// permission violations reported on the connection's status stream.
import { ErrorCode, type Msg, type NatsError, type Status, type Subscription } from 'nats.ws';

/** Collect a subscription's messages; `error` is set if the server refuses it. */
export function collect(sub: Subscription) {
  const got: Msg[] = [];
  const state: { error?: NatsError } = {};
  void (async () => {
    try {
      for await (const m of sub) got.push(m);
    } catch (e) {
      state.error = e as NatsError;
    }
  })();
  return { got, state };
}

/** The permissions violation for `operation` on `subject` among the recorded statuses, if any. */
export const permissionError = (seen: Status[], operation: string, subject: string) =>
  seen.find(
    (s) => s.data === ErrorCode.PermissionsViolation && s.permissionContext?.operation === operation && s.permissionContext.subject === subject,
  );
