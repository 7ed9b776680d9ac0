/**
 * @module core/sessions/sessionToken
 * Where a caller's session token is read from, first match wins: `Authorization: Bearer`,
 * `X-Session-Token`, the `session_token` cookie (and, for EventSource which cannot set headers, the
 * `session_token` query parameter of /events).
 */
type HeaderValue = string | string[] | undefined;

function first(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function extractSessionToken(headers: Record<string, HeaderValue>): string | undefined {
  const authorization = first(headers.authorization);
  if (authorization?.startsWith('Bearer ')) {
    const token = authorization.slice('Bearer '.length).trim();
    if (token) return token;
  }
  const header = first(headers['x-session-token'])?.trim();
  if (header) return header;
  const cookies = first(headers.cookie);
  if (cookies) {
    for (const part of cookies.split(';')) {
      const separator = part.indexOf('=');
      if (separator > 0 && part.slice(0, separator).trim() === 'session_token') {
        const value = part.slice(separator + 1).trim();
        if (value) return value;
      }
    }
  }
  return undefined;
}
