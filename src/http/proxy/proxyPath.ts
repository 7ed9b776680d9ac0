/**
 * @module http/proxy/proxyPath
 * `/noetl/<rest>?<query>` → `<rest>` and the raw query, refusing anything that could climb out of the
 * upstream's `/api/` (dot segments, encoded separators, backslashes), before a byte goes upstream.
 */

export type ProxyPath =
  | {
      ok: true /** Path after `/noetl/`, still percent-encoded as the client sent it. */;
      rest: string;
      query: string;
    }
  | { ok: false; status: 400 | 404; message: string };

/** Anything that needs a closer look: a percent sign, a backslash, or a `.`/`..` segment. */
const SUSPICIOUS = /[%\\]|(?:^|\/)\.\.?(?:\/|$)/;
/** Decoding rounds: `%252e` is `%2e` after one, `.` after two; a server that decodes twice must see no `..` either. */
const MAX_DECODES = 3;

function checkSegment(segment: string): string | undefined {
  let decoded = segment;
  for (let round = 0; round < MAX_DECODES && decoded.includes('%'); round++) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      return 'Invalid percent-encoding in the path';
    }
  }
  if (decoded === '.' || decoded === '..') return "Path segments '.' and '..' are not allowed";
  if (decoded.includes('/') || decoded.includes('\\'))
    return "Encoded '/' and '\\' are not allowed in the path";
  if (decoded.includes('\0')) return 'NUL is not allowed in the path';
  return undefined;
}

/**
 * Splits the part of the URL after `/noetl` (e.g. `/executions/1?page=2`). The path stays encoded as
 * sent — the reference decoded it, turning `%2F` into a separator upstream; here it is refused instead.
 */
export function parseProxyPath(tail: string): ProxyPath {
  const queryAt = tail.indexOf('?');
  const path = queryAt < 0 ? tail : tail.slice(0, queryAt);
  const query = queryAt < 0 ? '' : tail.slice(queryAt);
  const rest = path.slice(1);
  if (rest === '')
    return { ok: false, status: 404, message: 'Not found: /noetl/ needs a NoETL API path after it' };
  if (SUSPICIOUS.test(rest)) {
    for (const segment of rest.split('/')) {
      const problem = checkSegment(segment);
      if (problem) return { ok: false, status: 400, message: problem };
    }
  }
  return { ok: true, rest, query };
}
