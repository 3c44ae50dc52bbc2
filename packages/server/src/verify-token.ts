// Verifies an app's custom token (a JWT its own backend signed) with `jose`.
// The algorithm list is fixed by the key kind, so `alg: none` and algorithm
// confusion (an HS256 token "signed" with a public key) are refused.
// checkConfig (config.ts) has already refused short secrets and key sets
// without audience and issuer.
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Config } from './config.js';
import { HttpError } from './errors.js';

export type TokenVerifier = (token: string) => Promise<string>;

/** How long a key set fetch may take before the identity provider counts as down. */
const JWKS_TIMEOUT_MS = 5000;

/** Seconds of clock difference tolerated between the app's backend and us (exp, nbf, iat). */
const CLOCK_TOLERANCE = 5;

/** The identity provider could not be asked: not the token's fault. */
class IdpUnavailable extends Error {}

/** Returns a verifier resolving to the uid (`sub`), or undefined when no key is configured. */
export function createTokenVerifier(cfg: Config): TokenVerifier | undefined {
  let key: Uint8Array | JWTVerifyGetKey;
  let algorithms: string[];
  if (cfg.tokenSecret) {
    key = new TextEncoder().encode(cfg.tokenSecret);
    algorithms = ['HS256'];
  } else if (cfg.tokenJwksUrl) {
    key = reportingOutages(createRemoteJWKSet(new URL(cfg.tokenJwksUrl), { timeoutDuration: JWKS_TIMEOUT_MS }));
    algorithms = ['ES256', 'RS256'];
  } else if (cfg.tokenJwksFile) {
    key = createLocalJWKSet(JSON.parse(readFileSync(cfg.tokenJwksFile, 'utf8')));
    algorithms = ['ES256', 'RS256'];
  } else {
    return undefined;
  }
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, key as Uint8Array, {
        algorithms,
        audience: cfg.tokenAudience,
        issuer: cfg.tokenIssuer,
        // Also makes `iat` required, and refuses one in the future (beyond the tolerance).
        maxTokenAge: cfg.tokenMaxAge,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_TOLERANCE,
      });
      return payload.sub as string;
    } catch (e) {
      throw toHttpError(e);
    }
  };
}

/**
 * The remote key set's getter, with failures to fetch the set (timeout, 5xx,
 * refused connection, a set that is not JSON) marked as an outage. Only "no key
 * matches this token" stays the token's fault.
 */
function reportingOutages(getKey: ReturnType<typeof createRemoteJWKSet>): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await getKey(header, token);
    } catch (e) {
      if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys) throw e;
      throw new IdpUnavailable('the key set could not be fetched', { cause: e });
    }
  };
}

function toHttpError(e: unknown): HttpError {
  // 503, not 401: a user told "bad token" signs in again, which cannot help while the provider is down.
  if (e instanceof IdpUnavailable) return new HttpError(503, 'idp_unavailable', 'the identity provider cannot be reached, try again later', { 'retry-after': '5' });
  if (e instanceof errors.JWTExpired) {
    if (e.claim === 'iat') return new HttpError(401, 'token_expired', 'the token is older than this server accepts');
    return new HttpError(401, 'token_expired', 'the token has expired');
  }
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === 'nbf') return new HttpError(401, 'token_not_yet_valid', 'the token is not valid yet');
    return new HttpError(401, 'token_claim_invalid', `the token's "${e.claim}" claim is missing or wrong`);
  }
  if (e instanceof errors.JOSEAlgNotAllowed) return new HttpError(401, 'token_alg_not_allowed', 'the token algorithm is not allowed');
  if (e instanceof errors.JWSSignatureVerificationFailed) return new HttpError(401, 'token_bad_signature', 'the token signature is invalid');
  if (e instanceof errors.JWKSNoMatchingKey) return new HttpError(401, 'token_unknown_key', 'no key matches the token');
  if (e instanceof errors.JOSEError) return new HttpError(401, 'token_invalid', 'the token is malformed or invalid');
  throw e;
}
