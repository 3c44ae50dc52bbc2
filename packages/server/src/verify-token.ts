// Verifies an app's custom token (a JWT its own backend signed) with `jose`.
// The algorithm list is fixed by the key kind, so `alg: none` and algorithm
// confusion (an HS256 token "signed" with a public key) are refused.
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Config } from './config.js';
import { HttpError } from './errors.js';

export type TokenVerifier = (token: string) => Promise<string>;

/** Returns a verifier resolving to the uid (`sub`), or undefined when no key is configured. */
export function createTokenVerifier(cfg: Config): TokenVerifier | undefined {
  let key: Uint8Array | JWTVerifyGetKey;
  let algorithms: string[];
  if (cfg.tokenSecret) {
    key = new TextEncoder().encode(cfg.tokenSecret);
    algorithms = ['HS256'];
  } else if (cfg.tokenJwksUrl) {
    key = createRemoteJWKSet(new URL(cfg.tokenJwksUrl));
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
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 5,
      });
      return payload.sub as string;
    } catch (e) {
      throw toHttpError(e);
    }
  };
}

function toHttpError(e: unknown): HttpError {
  if (e instanceof errors.JWTExpired) return new HttpError(401, 'token_expired', 'the token has expired');
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
