// Signing in at the token service the way the SDK does (POST /v1/session),
// without the SDK: for raw NATS clients and for testing the service itself.
// Environment-neutral (fetch).
import type { Session } from 'wd-video/contract';

/** POST a JSON body (or a raw string) to the sign-in URL and return the raw response. */
export function postSession(authUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(authUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function sessionFrom(res: Response, who: string): Promise<Session> {
  const text = await res.text();
  if (res.status !== 200) throw new Error(`sign-in ${who} failed: ${res.status} ${text}`);
  return JSON.parse(text) as Session;
}

/** Anonymous sign-in (on in the test stack). */
export async function signIn(authUrl: string, uid: string): Promise<Session> {
  return sessionFrom(await postSession(authUrl, { anonymous: { uid } }), `as ${uid}`);
}

/** Sign in with an app's custom token. */
export async function signInWithToken(authUrl: string, token: string): Promise<Session> {
  return sessionFrom(await postSession(authUrl, { token }), 'with a token');
}
