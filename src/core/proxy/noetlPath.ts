/**
 * @module core/proxy/noetlPath
 * The one guard on paths the gateway sends to NoETL's `/api/` on a caller's behalf: the `/noetl/*` proxy
 * and the GraphQL `proxyRequest` mutation. A path is forwarded exactly as given, or refused before a byte
 * goes upstream when it could mean anything outside `/api/` to any URL parser or decoder on the way:
 * dot segments, separators in percent-encoding, backslashes (WHATWG URL parsers read `\` as `/`), control
 * characters (they drop tabs and newlines, joining `.\t.` into `..`) and `#` (the rest would be dropped),
 * at any depth of percent-encoding (decoded until nothing changes, not a fixed number of rounds).
 */

export type NoetlPath =
  | {
      ok: true;
      /** The path after `/api/` (or `/noetl/`), exactly as given: still percent-encoded. */
      rest: string;
      /** `?…` as given, or empty. */
      query: string;
    }
  | { ok: false; status: 400 | 404; message: string };

/** What needs a closer look: `%`, `\`, `#`, a space or control character, or a `.`/`..` segment. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const SUSPICIOUS = /[%\\#\x00-\x20\x7f]|(?:^|\/)\.\.?(?:\/|$)/;
/** `.` or `..`, also with spaces around (URL parsers strip spaces that end the URL). */
const DOTS = /^ *\.\.? *$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const CONTROL = /[\x00-\x1f\x7f]/;
/** A `%` not followed by two hex digits. */
const BAD_ESCAPE = /%(?![0-9a-fA-F]{2})/;

const DOT_SEGMENT = "Path segments '.' and '..' are not allowed";

/** Why a percent-decoded path segment may not go upstream, or undefined when it may. */
function checkSegment(segment: string): string | undefined {
  if (segment.includes('\\')) return "'\\' is not allowed in the path";
  if (CONTROL.test(segment)) return 'Control characters are not allowed in the path';
  if (segment.includes('#')) return "'#' is not allowed in the path";
  let decoded = segment;
  // Each round that changes anything shortens the text, so this ends; it stops when a decoder that
  // decodes once more would see what this one sees.
  while (decoded.includes('%')) {
    if (BAD_ESCAPE.test(decoded)) return 'Invalid percent-encoding in the path';
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return 'Invalid percent-encoding in the path';
    }
    if (next === decoded) break;
    decoded = next;
  }
  if (DOTS.test(decoded)) return DOT_SEGMENT;
  if (decoded.includes('/') || decoded.includes('\\'))
    return "Encoded '/' and '\\' are not allowed in the path";
  if (CONTROL.test(decoded)) return 'Control characters are not allowed in the path';
  if (decoded.includes('#')) return "Encoded '#' is not allowed in the path";
  return undefined;
}

/** Splits `<rest>?<query>` and checks every segment of `<rest>` (the query is the upstream's business). */
function checkRest(restWithQuery: string): NoetlPath {
  const queryAt = restWithQuery.indexOf('?');
  const rest = queryAt < 0 ? restWithQuery : restWithQuery.slice(0, queryAt);
  const query = queryAt < 0 ? '' : restWithQuery.slice(queryAt);
  if (CONTROL.test(query) || query.includes('#'))
    return { ok: false, status: 400, message: "Control characters and '#' are not allowed in the query" };
  if (rest === '') return { ok: false, status: 404, message: 'Not found: no NoETL API path' };
  if (SUSPICIOUS.test(rest)) {
    for (const segment of rest.split('/')) {
      const problem = checkSegment(segment);
      if (problem) return { ok: false, status: 400, message: problem };
    }
  }
  return { ok: true, rest, query };
}

/**
 * The part of a `/noetl/*` URL after `/noetl` (e.g. `/executions/1?page=2`) → `<rest>` and the raw query.
 * 404 when nothing follows `/noetl/`, 400 for a refused path.
 */
export function parseProxyPath(tail: string): NoetlPath {
  const checked = checkRest(tail.startsWith('/') ? tail.slice(1) : tail);
  if (!checked.ok && checked.status === 404)
    return { ...checked, message: 'Not found: /noetl/ needs a NoETL API path after it' };
  return checked;
}

/**
 * A GraphQL `proxyRequest` endpoint (`/api/<rest>?<query>`) → `<rest>` and the raw query, or why it is
 * refused. The upstream path is then `/api/<rest><query>`, the endpoint as given.
 */
export function parseApiEndpoint(endpoint: string): NoetlPath {
  if (!endpoint.startsWith('/api/'))
    return { ok: false, status: 400, message: 'endpoint must be a NoETL API path under /api/' };
  const checked = checkRest(endpoint.slice('/api/'.length));
  if (!checked.ok && checked.status === 404)
    return { ok: false, status: 400, message: 'endpoint must name a NoETL API path after /api/' };
  return checked;
}
