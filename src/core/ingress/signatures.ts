/**
 * @module core/ingress/signatures
 * The shared-secret schemes of push ingress: `hmac_sha256` (a hex HMAC-SHA256 of the exact body bytes in a
 * header, optionally `sha256=`-prefixed, as GitHub sends it) and `bearer` (a token in a header, optionally
 * after `Bearer `). Both compare in constant time; a listener whose secret is missing or empty is refused as
 * misconfigured (an empty secret would otherwise match an empty token).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IngressVerifyConfig } from '../../contract/ingress.ts';
import { firstValue, type HeaderMap } from './deliveryHeaders.ts';
import { IngressRejection } from './ingressRejection.ts';

const digest = (value: string | Buffer) => createHash('sha256').update(value).digest();

/** Equal in time independent of where they differ and of their lengths (digests of both are compared). */
export function secretsEqual(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

function secretOf(verify: IngressVerifyConfig): string {
  if (!verify.secret)
    throw new IngressRejection('misconfigured', `The listener's ${verify.type} verification has no secret`);
  return verify.secret;
}

/** `Bearer <token>` (either case of the scheme) → the token; anything else as it is. */
export function withoutBearerScheme(value: string): string {
  return (value.startsWith('Bearer ') || value.startsWith('bearer ') ? value.slice(7) : value).trim();
}

export function verifyHmac(verify: IngressVerifyConfig, headers: HeaderMap, body: Buffer): void {
  const header = (verify.header ?? 'x-signature').toLowerCase();
  const key = secretOf(verify);
  const presented = firstValue(headers, header);
  if (presented === undefined)
    throw new IngressRejection('missing_signature', `Missing signature header '${header}'`);
  const hex = (
    presented.startsWith('sha256=') || presented.startsWith('SHA256=') ? presented.slice(7) : presented
  )
    .trim()
    .toLowerCase();
  const expected = createHmac('sha256', key).update(body).digest('hex');
  if (!secretsEqual(hex, expected)) throw new IngressRejection('bad_signature', 'HMAC signature mismatch');
}

export function verifyBearer(verify: IngressVerifyConfig, headers: HeaderMap): void {
  const header = (verify.header ?? 'authorization').toLowerCase();
  const expected = secretOf(verify);
  const presented = firstValue(headers, header);
  if (presented === undefined) throw new IngressRejection('missing_token', `Missing '${header}' header`);
  if (!secretsEqual(withoutBearerScheme(presented), expected))
    throw new IngressRejection('bad_token', 'Bearer token mismatch');
}
