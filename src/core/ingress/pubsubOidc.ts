/**
 * @module core/ingress/pubsubOidc
 * `pubsub_oidc`: the Google-signed OIDC token a Pub/Sub push subscription sends in `Authorization: Bearer`.
 * Checked with jose: RS256 only, signed by the JWKS key its `kid` names, not expired (with leeway), then
 * the claims — issuer (one of the accepted ones), audience (the listener's), and `email` equal to the
 * listener's service account with `email_verified` true. Each failure has the reference's reason; the
 * issuer check is this gateway's addition (`oidc_wrong_issuer`).
 */
import type { JWTPayload } from 'jose';
import type { IngressVerifyConfig } from '../../contract/ingress.ts';
import { firstValue, type HeaderMap } from './deliveryHeaders.ts';
import { IngressRejection } from './ingressRejection.ts';
import { jose } from './jose.ts';
import type { JwksKeys, VerificationKey } from './jwksKeys.ts';
import { withoutBearerScheme } from './signatures.ts';

export interface PubsubOidcOptions {
  keys: JwksKeys;
  /** Accepted `iss` values (Google: `https://accounts.google.com`, `accounts.google.com`). */
  issuers: readonly string[];
  /** Clock skew allowed on `exp` / `nbf` / `iat`, in seconds (the reference: 60). */
  leewaySecs: number;
}

export class PubsubOidc {
  readonly #options: PubsubOidcOptions;

  constructor(options: PubsubOidcOptions) {
    this.#options = options;
  }

  async verify(verify: IngressVerifyConfig, headers: HeaderMap): Promise<void> {
    const authorization = firstValue(headers, 'authorization');
    if (authorization === undefined)
      throw new IngressRejection('missing_token', 'Missing Authorization header for OIDC');
    const audience = verify.audience;
    const serviceAccount = verify.service_account;
    if (!audience)
      throw new IngressRejection('misconfigured', 'The listener’s pubsub_oidc verification has no audience');
    if (!serviceAccount)
      throw new IngressRejection(
        'misconfigured',
        'The listener’s pubsub_oidc verification has no service_account',
      );
    const token = withoutBearerScheme(authorization);
    const claims = await this.#verifiedClaims(token);
    this.#checkClaims(claims, audience, serviceAccount);
  }

  async #verifiedClaims(token: string): Promise<JWTPayload> {
    const { decodeProtectedHeader, errors, jwtVerify } = await jose();
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch (error) {
      throw new IngressRejection('oidc_malformed', 'The OIDC token is not a JWT', undefined, {
        cause: error,
      });
    }
    if (typeof kid !== 'string') throw new IngressRejection('oidc_malformed', "The OIDC token has no 'kid'");
    const key: VerificationKey = await this.#options.keys.key(kid);
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['RS256'],
        clockTolerance: this.#options.leewaySecs,
        requiredClaims: ['exp'],
      });
      return payload;
    } catch (error) {
      throw rejectionOf(error, errors);
    }
  }

  #checkClaims(claims: JWTPayload, audience: string, serviceAccount: string): void {
    if (typeof claims.iss !== 'string' || !this.#options.issuers.includes(claims.iss))
      throw new IngressRejection('oidc_wrong_issuer', 'OIDC issuer is not an accepted one');
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(audience))
      throw new IngressRejection('oidc_wrong_audience', 'OIDC audience mismatch');
    const email = typeof claims.email === 'string' ? claims.email : undefined;
    if (email !== undefined && email !== serviceAccount)
      throw new IngressRejection('oidc_wrong_sa', 'OIDC email is not the configured service account');
    if (email === undefined || claims.email_verified !== true)
      throw new IngressRejection('oidc_unverified_email', 'OIDC email missing or not verified');
  }
}

function rejectionOf(error: unknown, errors: typeof import('jose').errors): IngressRejection {
  const options = { cause: error };
  if (error instanceof errors.JWTExpired)
    return new IngressRejection('oidc_expired', 'OIDC token expired', undefined, options);
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new IngressRejection('oidc_bad_signature', 'OIDC signature invalid', undefined, options);
  if (error instanceof errors.JOSEError)
    return new IngressRejection('oidc_invalid', `OIDC validation failed (${error.code})`, undefined, options);
  // Not a token problem: the key itself (jose refuses RSA keys under 2048 bits, for one).
  return new IngressRejection(
    'oidc_bad_key',
    'The signing key cannot verify RS256 tokens',
    undefined,
    options,
  );
}
