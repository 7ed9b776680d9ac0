/**
 * @module lib/undici
 * The parts of undici the gateway uses (Pool, Agent, request, header-name lookup), loaded from their own
 * modules. The package's index also loads its fetch, WebSocket and cookie code, whose first touch of
 * `File` / `Headers` makes Node load its own bundled copy of undici as well: together +6.7 MB idle RSS
 * for nothing the gateway calls. The version is pinned exactly, so these module paths are fixed.
 */
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const load = createRequire(import.meta.url);

export const Pool: typeof Undici.Pool = load('undici/lib/dispatcher/pool.js');
export const Agent: typeof Undici.Agent = load('undici/lib/dispatcher/agent.js');

const api: { request: Undici.Dispatcher['request'] } = load('undici/lib/api/index.js');

/** undici's `request` on a given dispatcher (what the package's `request(url, {dispatcher})` does). */
export function request(
  dispatcher: Undici.Dispatcher,
  options: Undici.Dispatcher.RequestOptions,
): Promise<Undici.Dispatcher.ResponseData> {
  return api.request.call(dispatcher, options) as Promise<Undici.Dispatcher.ResponseData>;
}

/** A raw header name (string or Buffer) as a lower-case string, from undici's table of known names. */
export const headerNameToString: (name: string | Buffer) => string = (
  load('undici/lib/core/util.js') as { headerNameToString: (name: string | Buffer) => string }
).headerNameToString;

export type { Dispatcher } from 'undici';
