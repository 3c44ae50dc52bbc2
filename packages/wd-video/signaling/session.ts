// Sign-in through the token service: an app's custom token (or an anonymous
// uid in development) becomes a NATS JWT, TURN credentials and an expiry.
import type { Session } from './contract.js';
import { WdVideoError } from './errors.js';

export type SignIn = { token: string } | { anonymous: { uid: string } };

export async function fetchSession(authUrl: string, signIn: SignIn, signal?: AbortSignal): Promise<Session> {
  let res: Response;
  const base = typeof location !== 'undefined' ? location.href : undefined;
  try {
    res = await fetch(new URL(authUrl, base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(signIn),
      signal,
    });
  } catch (e) {
    throw new WdVideoError('connect_failed', `cannot reach the token service at ${authUrl}`, { cause: e });
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch (e) {
    // A proxy's HTML 502 while the service restarts is an outage like any 5xx.
    const code = res.status >= 500 ? 'connect_failed' : 'sign_in_failed';
    throw new WdVideoError(code, `the token service answered ${res.status} without JSON`, { cause: e });
  }
  if (!res.ok) {
    const err = (body as { error?: { code?: string; message?: string } })?.error;
    const message = `sign-in refused: ${err?.message ?? res.statusText} (${err?.code ?? res.status})`;
    // 5xx (the service, or the identity provider behind it: 503 idp_unavailable)
    // and 429 say "not now", not "bad token": connect_failed is retried, while
    // token_invalid would send the user to sign in again, which cannot help.
    if (res.status >= 500 || res.status === 429) throw new WdVideoError('connect_failed', message);
    if (err?.code === 'token_expired') throw new WdVideoError('token_expired', message);
    if (res.status === 401 || res.status === 403 || res.status === 400) throw new WdVideoError('token_invalid', message);
    throw new WdVideoError('sign_in_failed', message);
  }
  const s = body as Session;
  if (typeof s?.uid !== 'string' || typeof s?.nats?.jwt !== 'string' || !Array.isArray(s?.nats?.servers) || typeof s.expiresAt !== 'number') {
    throw new WdVideoError('sign_in_failed', 'the token service returned an unexpected session');
  }
  return s;
}
