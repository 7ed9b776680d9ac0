/**
 * @module core/sessions/sessionKey
 * A session token's stand-in wherever the gateway must remember a session (K/V keys, ownership):
 * its SHA-256, so stored data never contains a usable token.
 */
import { createHash } from 'node:crypto';

export function sessionKey(sessionToken: string): string {
  return createHash('sha256').update(sessionToken).digest('hex');
}
