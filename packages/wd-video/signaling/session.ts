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
    throw new WdVideoError('sign_in_failed', `the token service answered ${res.status} without JSON`, { cause: e });
  }
  if (!res.ok) {
    const err = (body as { error?: { code?: string; message?: string } })?.error;
    const message = `sign-in refused: ${err?.message ?? res.statusText} (${err?.code ?? res.status})`;
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
