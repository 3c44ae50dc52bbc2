// VAPID keys (RFC 8292): the token service signs every push request with the
// private key, and browsers accept pushes for a subscription only when they are
// signed by the public key the subscription was made with. Made by the
// `web-push` library (P-256, base64url), never by hand.
import webpush from 'web-push';

export interface VapidKeys {
  /** Uncompressed P-256 point, base64url: what `pushManager.subscribe({applicationServerKey})` takes. */
  publicKey: string;
  /** P-256 private scalar, base64url. A secret: whoever holds it can push to every subscriber. */
  privateKey: string;
}

export const generateVapidKeys = (): VapidKeys => webpush.generateVAPIDKeys();

/** Throws unless `keys` is a usable pair (a truncated file must not surface only at the first ring). */
export function checkVapidKeys(keys: VapidKeys): VapidKeys {
  const pub = Buffer.from(keys.publicKey, 'base64url');
  const priv = Buffer.from(keys.privateKey, 'base64url');
  if (pub.length !== 65 || pub[0] !== 4 || priv.length !== 32) throw new Error('VAPID keys: expected a base64url P-256 public key (65 bytes) and private key (32 bytes)');
  return keys;
}
