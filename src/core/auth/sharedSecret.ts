/**
 * @module core/auth/sharedSecret
 * Constant-time comparison of a presented bearer token with the configured shared secret.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** True when `authorization` is `Bearer <expected>`. Comparing digests keeps the time independent of length. */
export function bearerMatches(authorization: string | undefined, expected: string): boolean {
  const presented = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length).trim() : '';
  return timingSafeEqual(digest(presented), digest(expected)) && presented.length > 0;
}
