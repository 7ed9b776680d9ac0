/**
 * @module http/proxy/proxyHeaders
 * Header rules of the `/noetl/*` proxy, on raw header lists (no per-request objects): end-to-end headers
 * pass both ways; hop-by-hop headers, the caller's credentials and any client-supplied identity are
 * dropped; the gateway adds the identity it validated, `X-Forwarded-*` and `X-Request-Id`.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { User } from '../../contract/index.ts';
import { pushIdentityHeaders } from '../../core/proxy/identityHeaders.ts';
import { headerNameToString } from '../../lib/undici.ts';

/** RFC 9110 §7.6.1 connection-specific headers, plus the non-standard ones proxies also strip. */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

const DROPPED_REQUEST_HEADERS = new Set([
  ...HOP_BY_HOP,
  // The upstream's own Host is set by the HTTP client; the caller's goes in X-Forwarded-Host.
  'host',
  // Node answers `100-continue` itself; the upstream gets the body without asking.
  'expect',
  // The caller's session credentials stay at the gateway: the identity travels as x-user-* instead.
  'authorization',
  'cookie',
  'x-session-token',
  // Set by the gateway below.
  'x-request-id',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  // Other statements about the client or the original request that only a proxy in front may make:
  // the caller could otherwise name its own address (RFC 7239 `Forwarded`, nginx's `X-Real-IP`) or make
  // a framework behind NoETL route by another path than the one checked here (`X-Original-URL`,
  // `X-Rewrite-URL`).
  'forwarded',
  'x-real-ip',
  'x-original-url',
  'x-rewrite-url',
]);

const DROPPED_RESPONSE_HEADERS = new Set([
  ...HOP_BY_HOP,
  // The gateway's own id (already on the response) names this exchange in both logs.
  'x-request-id',
  // Always `nosniff`, set below: a browser must not guess a script or a page out of NoETL's bytes.
  'x-content-type-options',
]);

/** `Connection` values that list no other header. */
const PLAIN_CONNECTION = new Set(['keep-alive', 'Keep-Alive', 'close', 'Close']);

/** Header names the gateway alone may set upstream: a caller sending them is spoofing. */
function isIdentityHeader(name: string): boolean {
  return name.startsWith('x-user-') || name.startsWith('x-noetl-');
}

/**
 * Whether a request header stays at the gateway. A name spelled with underscores (`X_User_Id`,
 * `x_noetl_tenant`, `X_Forwarded_For`) is judged as its dashed spelling: CGI/WSGI-style servers map `-`
 * and `_` to the same variable, so the underscore spelling would pass as the header the gateway sets.
 */
function droppedRequestHeader(name: string, listed: Set<string> | undefined): boolean {
  if (DROPPED_REQUEST_HEADERS.has(name) || isIdentityHeader(name) || listed?.has(name)) return true;
  if (name.indexOf('_') < 0) return false;
  const dashed = name.replaceAll('_', '-');
  return DROPPED_REQUEST_HEADERS.has(dashed) || isIdentityHeader(dashed) || listed?.has(dashed) === true;
}

/** Header names a `Connection` header lists are hop-by-hop for this message too (RFC 9110 §7.6.1). */
function connectionListed(value: string | string[] | undefined): Set<string> | undefined {
  if (value === undefined) return undefined;
  // What nearly every message says, without splitting it.
  if (typeof value === 'string' && PLAIN_CONNECTION.has(value)) return undefined;
  const names = (Array.isArray(value) ? value.join(',') : value)
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name && name !== 'close' && name !== 'keep-alive');
  return names.length > 0 ? new Set(names) : undefined;
}

/**
 * Each user's identity headers, built once per user object — a cached session hands every request the
 * same one — so a proxied request copies six strings instead of re-checking and re-encoding them. Weak:
 * a session dropped from the cache takes its block with it.
 */
const identityBlocks = new WeakMap<User, readonly string[]>();

function identityBlock(user: User): readonly string[] {
  let block = identityBlocks.get(user);
  if (block === undefined) {
    const built: string[] = [];
    pushIdentityHeaders(built, user);
    block = Object.freeze(built);
    identityBlocks.set(user, block);
  }
  return block;
}

function joined(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

export interface ForwardingFacts {
  user: User;
  requestId: string;
  /** Whether X-Forwarded-* arriving on the request come from a trusted proxy (GATEWAY_TRUST_PROXY > 0). */
  trustForwarded: boolean;
}

/** The request headers to send upstream, as a flat `[name, value, name, value, …]` list. */
export function upstreamRequestHeaders(req: IncomingMessage, facts: ForwardingFacts): string[] {
  const raw = req.rawHeaders;
  const listed = connectionListed(req.headers.connection);
  const headers: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    // Well-known names come lower-cased from a table (interned, no new string).
    const name = headerNameToString(raw[i]!);
    if (droppedRequestHeader(name, listed)) continue;
    headers.push(name, raw[i + 1]!);
  }
  const identity = identityBlock(facts.user);
  for (let i = 0; i < identity.length; i++) headers.push(identity[i]!);
  headers.push('x-request-id', facts.requestId);
  // Behind trusted proxies the chain grows (as nginx's $proxy_add_x_forwarded_for) and their
  // proto/host describe the original request; otherwise only what this hop saw is stated.
  const trusted = facts.trustForwarded;
  const client = req.socket.remoteAddress;
  const chain = trusted ? joined(req.headers['x-forwarded-for']) : undefined;
  if (client) headers.push('x-forwarded-for', chain ? `${chain}, ${client}` : client);
  const proto = trusted ? joined(req.headers['x-forwarded-proto']) : undefined;
  headers.push('x-forwarded-proto', proto || ((req.socket as TLSSocket).encrypted ? 'https' : 'http'));
  const host = (trusted ? joined(req.headers['x-forwarded-host']) : undefined) || req.headers.host;
  if (host) headers.push('x-forwarded-host', host);
  return headers;
}

/** Where `Vary` is in a header list (its name's index), or -1. */
function varyIndex(headers: readonly string[]): number {
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!;
    if (name.length === 4 && name.toLowerCase() === 'vary') return i;
  }
  return -1;
}

/**
 * The response headers for the client, as one flat list of latin1 strings (bytes kept) for `writeHead`:
 * the gateway's own (`own`: X-Request-Id and the CORS headers, `Vary: Origin` among them), then the
 * upstream's. The upstream's `vary` is merged with the gateway's (which then goes where the upstream's
 * was) instead of replacing it, and its `access-control-*` are dropped: the gateway's CORS policy is the
 * one in force. `X-Content-Type-Options: nosniff` always (the body is NoETL's, served from the gateway's
 * origin).
 */
export function clientResponseHeaders(raw: Buffer[], own: readonly string[]): string[] {
  let listed: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.length === 10 && headerNameToString(raw[i]!) === 'connection')
      listed = connectionListed(raw[i + 1]!.toString('latin1'));
  }
  const headers = own.slice();
  let varyAt = varyIndex(own);
  for (let i = 0; i < raw.length; i += 2) {
    // Well-known names come lower-cased from undici's table (interned, no new string).
    const name = headerNameToString(raw[i]!);
    if (DROPPED_RESPONSE_HEADERS.has(name) || name.startsWith('access-control-') || listed?.has(name))
      continue;
    const value = raw[i + 1]!.toString('latin1');
    if (name === 'vary' && varyAt >= 0) {
      const merged = `${headers[varyAt + 1]}, ${value}`;
      headers.splice(varyAt, 2);
      headers.push(name, merged);
      varyAt = -1;
    } else headers.push(name, value);
  }
  headers.push('x-content-type-options', 'nosniff');
  return headers;
}
