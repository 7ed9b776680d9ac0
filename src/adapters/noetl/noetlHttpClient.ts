/**
 * @module adapters/noetl/noetlHttpClient
 * The NoETL server's HTTP API over fetch, with a timeout on every call. Responses are parsed losslessly
 * and returned with their status; interpreting them is the caller's business.
 */

import type { NoetlExecuteRequest } from '../../contract/index.ts';
import { parseJsonLossless } from '../../lib/losslessJson.ts';
import { STATUS_CODES } from '../../lib/nodeHttp.ts';
import { Agent, type Dispatcher, request } from '../../lib/undici.ts';
import { outgoingCall } from '../../observability/tracing.ts';
import type { NoetlApi, NoetlResponse } from '../ports.ts';

export class NoetlTransportError extends Error {
  override name = 'NoetlTransportError';
}

export interface NoetlHttpClientOptions {
  baseUrl: string;
  timeoutMs: number;
  /** Observes every call: a bounded operation name, its duration, and the status (or `error`). */
  onCall?: (operation: string, seconds: number, status: string) => void;
  /**
   * Told about each call that got no answer, with the transport error itself (it names NoETL's address:
   * for the log only — the error thrown names just its code).
   */
  onTransportError?: (method: string, path: string, error: unknown) => void;
}

/**
 * What a failed call is reported as: the error's code (`ECONNREFUSED`, `ENOTFOUND`, `UND_ERR_SOCKET`, …),
 * never its message, which carries NoETL's address (`connect ECONNREFUSED 10.0.0.7:8082`).
 */
function failureCode(error: unknown): string {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]+$/.test(code)) return code;
    current = current.cause;
  }
  return error instanceof Error && /^\w+$/.test(error.name) ? error.name : 'unknown error';
}

const JSON_ACCEPT = ['accept', 'application/json'];
const JSON_BODY = ['content-type', 'application/json', 'accept', 'application/json'];

/** A bounded label for a NoETL path (ids never become labels). */
export function operationOf(path: string): string {
  if (path === '/api/execute') return 'execute';
  if (/^\/api\/executions\/[^/]+\/rerun$/.test(path)) return 'rerun';
  if (/^\/api\/executions\/[^/]+\/cancel$/.test(path)) return 'cancel';
  if (path === '/api/auth/session/validate') return 'validate_session';
  if (path === '/api/auth/login') return 'login_sync';
  if (path === '/api/auth/check-playbook-access') return 'check_access_sync';
  if (path === '/api/health') return 'health';
  return 'other';
}

export class NoetlHttpClient implements NoetlApi {
  /** NoETL's origin and the path prefix of its base URL (no trailing slash). */
  readonly #origin: string;
  readonly #basePath: string;
  readonly #timeoutMs: number;
  readonly #onCall: NoetlHttpClientOptions['onCall'];
  readonly #onTransportError: NoetlHttpClientOptions['onTransportError'];
  /** Kept-alive connections to NoETL (undici; redirects are never followed). */
  readonly #agent = new Agent({ keepAliveTimeout: 10_000, connections: 256 });

  constructor(options: NoetlHttpClientOptions) {
    const base = new URL(options.baseUrl);
    this.#origin = base.origin;
    this.#basePath = base.pathname.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs;
    this.#onCall = options.onCall;
    this.#onTransportError = options.onTransportError;
  }

  execute(request: NoetlExecuteRequest, signal?: AbortSignal): Promise<NoetlResponse> {
    return this.call('POST', '/api/execute', request, signal);
  }

  rerun(executionId: string, body: { workload: unknown; resource_kind: 'playbook' }): Promise<NoetlResponse> {
    return this.call('POST', `/api/executions/${encodeURIComponent(executionId)}/rerun`, body);
  }

  cancel(executionId: string, body: { reason: string; cascade: boolean }): Promise<NoetlResponse> {
    return this.call('POST', `/api/executions/${encodeURIComponent(executionId)}/cancel`, body);
  }

  post(path: string, body: unknown, signal?: AbortSignal): Promise<NoetlResponse> {
    return this.call('POST', path, body, signal);
  }

  async call(
    method: string,
    path: string,
    body: unknown,
    signal?: AbortSignal,
    headers?: readonly string[],
  ): Promise<NoetlResponse> {
    const started = performance.now();
    const bare = path.split('?')[0] ?? path;
    const operation = operationOf(bare);
    // The request's trace context (a span when tracing is on; the caller's traceparent relayed when off).
    const traced = outgoingCall('noetl', `noetl ${operation}`, method, bare);
    const sent = traced ? (headers?.length ? [...headers, ...traced.headers] : traced.headers) : headers;
    let status = 'error';
    try {
      const response = await this.#send(method, path, body, signal, sent);
      status = String(response.status);
      traced?.end(response.status);
      return response;
    } catch (error) {
      traced?.end(undefined, error);
      throw error;
    } finally {
      this.#onCall?.(operation, (performance.now() - started) / 1000, status);
    }
  }

  async #send(
    method: string,
    path: string,
    body: unknown,
    signal?: AbortSignal,
    extraHeaders?: readonly string[],
  ): Promise<NoetlResponse> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const deadline = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const headers = body === undefined ? JSON_ACCEPT : JSON_BODY;
    let text: string;
    let status: number;
    try {
      const response = await request(this.#agent, {
        origin: this.#origin,
        path: `${this.#basePath}${path}`,
        method: method as Dispatcher.HttpMethod,
        headers: extraHeaders?.length ? [...headers, ...extraHeaders] : headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: deadline,
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      const reason = timeout.aborted
        ? `timed out after ${this.#timeoutMs} ms`
        : signal?.aborted
          ? 'aborted'
          : `no answer (${failureCode(error)})`;
      this.#onTransportError?.(method, path, error);
      throw new NoetlTransportError(`${method} ${path}: ${reason}`, { cause: error });
    }
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : parseJsonLossless(text);
    } catch {
      // not JSON: callers see the raw text
    }
    return { status, statusText: STATUS_CODES[status] ?? '', body: parsed, text };
  }

  /** Closes the kept-alive connections to NoETL. */
  close(): Promise<void> {
    return this.#agent.close();
  }
}
