/**
 * @module core/proxy/identityHeaders
 * The caller's identity as NoETL receives it on every request the gateway makes on the caller's behalf
 * (the `/noetl/*` proxy, the GraphQL `proxyRequest` mutation): `x-user-id`, `x-user-email`, `x-user-roles`.
 */
import type { User } from '../../contract/index.ts';

/** Identity values travel as they are when printable ASCII, else percent-encoded (headers are byte strings). */
function headerSafe(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}

/** Appends the identity headers of `user` to a flat `[name, value, name, value, …]` header list. */
export function pushIdentityHeaders(headers: string[], user: User): void {
  headers.push(
    'x-user-id',
    headerSafe(String(user.user_id)),
    'x-user-email',
    headerSafe(user.email),
    'x-user-roles',
    headerSafe(user.roles.join(',')),
  );
}
