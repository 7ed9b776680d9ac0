/**
 * @module test/support/noetlDouble
 * A stand-in for the NoETL server, speaking the HTTP contract the gateway uses (see
 * shared/docs/reference/clients-and-upstream.md §2): `/api/execute` (string or numeric snowflake ids),
 * the three auth playbooks calling the gateway back with the envelopes of §2.4, the synchronous auth
 * endpoints of §2.3, cancel, rerun, execution reads, and a few routes for proxy tests.
 *
 * Auth0 tokens it understands (the real playbook decodes a JWT; these stand for its outcomes):
 *   `valid-<name>`     → authenticated as <name>@example.com
 *   `valid-strid-<n>`  → the same, with user_id rendered as a string (as templated playbooks do)
 *   `reject`           → error callback `{"error": "Invalid token signature", "message": "Token validation failed"}`
 *   `slow-<ms>-<name>` → authenticated, but the callback comes after <ms>
 *   `never`            → no callback at all
 * Playbook paths with a special meaning: `missing/…` → 404, `broken/…` → 500, `forbidden/…` denied by
 * check-access, `backend-error/…` check-access answers with an error status.
 *
 * Push ingress (contract §12.7): `GET /api/internal/ingress/{listener}` answers the config set in
 * `ingressListeners` (404 for others; 401 without the internal bearer when `internalToken` is set), and
 * `POST /api/events` (the gateway's audit event) is accepted.
 *
 * It is a test fixture, never part of the running gateway.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DoubleUser {
  user_id: number;
  email: string;
  display_name: string;
  roles: string[];
}

export interface DoubleSession {
  token: string;
  user: DoubleUser;
  expires_at: string;
  is_active: boolean;
}

export interface RecordedRequest {
  method: string;
  /** The request-target exactly as it arrived (undecoded, unnormalised), query included. */
  target: string;
  /** Its path, as URL parsing reads it. */
  path: string;
  query: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  rawBody: Buffer;
}

export interface NoetlDoubleOptions {
  /** Where the auth playbooks post `/api/internal/callback` (they do not get a gateway_url). */
  gatewayUrl?: string;
  loginPlaybook?: string;
  validatePlaybook?: string;
  checkAccessPlaybook?: string;
  /** Answer `execution_id` as a JSON number (as both real servers' events do) instead of a string. */
  numericExecutionIds?: boolean;
  /** Playbooks started with request_id + gateway_url post progress and a result by themselves after this delay. */
  autoCompleteMs?: number;
  /** Bearer token to send on callbacks (NOETL_INTERNAL_API_TOKEN of the gateway). */
  internalToken?: string;
}

const SNOWFLAKE_START = 635758340626186455n;

export class NoetlDouble {
  readonly requests: RecordedRequest[] = [];
  readonly sessions = new Map<string, DoubleSession>();
  readonly executions = new Map<string, { path: string; workload: unknown; status: string }>();
  options: Required<Omit<NoetlDoubleOptions, 'internalToken' | 'autoCompleteMs'>> &
    Pick<NoetlDoubleOptions, 'internalToken' | 'autoCompleteMs'>;
  /** When set, /api/execute answers with this status and body instead of starting anything. */
  executeFailure: { status: number; body: string } | undefined;
  /** Delay before /api/execute answers. */
  executeDelayMs = 0;
  /** Push-ingress listener configs by listener name, as `GET /api/internal/ingress/{listener}` answers them. */
  readonly ingressListeners = new Map<string, unknown>();
  /** When set, `GET /api/internal/ingress/…` answers with this status and body instead. */
  ingressConfigFailure: { status: number; body: string } | undefined;
  #server: Server | undefined;
  #nextId = SNOWFLAKE_START;
  #nextUserId = 1;
  #timers = new Set<NodeJS.Timeout>();
  url = '';

  constructor(options: NoetlDoubleOptions = {}) {
    this.options = {
      gatewayUrl: options.gatewayUrl ?? 'http://127.0.0.1:8090',
      loginPlaybook: options.loginPlaybook ?? 'api_integration/auth0/auth0_login',
      validatePlaybook: options.validatePlaybook ?? 'api_integration/auth0/auth0_validate_session',
      checkAccessPlaybook: options.checkAccessPlaybook ?? 'api_integration/auth0/check_playbook_access',
      numericExecutionIds: options.numericExecutionIds ?? false,
      autoCompleteMs: options.autoCompleteMs,
      internalToken: options.internalToken,
    };
  }

  async start(port = 0): Promise<this> {
    // A request the client aborts mid-body (the gateway does when a proxied body exceeds its cap) ends here.
    this.#server = createServer((req, res) => void this.#handle(req, res).catch(() => res.destroy()));
    await new Promise<void>((resolve) => this.#server!.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  /** The worker callback (JSON text) by which the login playbook of `requestId` hands over `session`. */
  loginCallback(requestId: unknown, session: DoubleSession): string {
    return JSON.stringify({
      request_id: requestId,
      status: 'success',
      data: {
        status: 'authenticated',
        session_token: session.token,
        user: session.user,
        expires_at: session.expires_at,
      },
    });
  }

  /** Creates a session directly, as the e2e fixtures insert one into auth.sessions. */
  mintSession(
    options: { email?: string; expiresInMs?: number; active?: boolean; roles?: string[] } = {},
  ): DoubleSession {
    const token = randomBytes(16).toString('hex');
    const email = options.email ?? `user${this.#nextUserId}@example.com`;
    const session: DoubleSession = {
      token,
      user: {
        user_id: this.#nextUserId++,
        email,
        display_name: email.split('@')[0]!,
        roles: options.roles ?? ['developer'],
      },
      expires_at: new Date(Date.now() + (options.expiresInMs ?? 24 * 3600_000))
        .toISOString()
        .replace('Z', '+00:00'),
      is_active: options.active ?? true,
    };
    this.sessions.set(token, session);
    return session;
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  executeBodies(): { path: string; workload: Record<string, unknown>; resource_kind: string }[] {
    return this.requestsTo('/api/execute').map(
      (request) => request.body as { path: string; workload: Record<string, unknown>; resource_kind: string },
    );
  }

  cancels(): RecordedRequest[] {
    return this.requests.filter((request) => /^\/api\/executions\/[^/]+\/cancel$/.test(request.path));
  }

  #validSession(token: unknown): DoubleSession | undefined {
    const session = typeof token === 'string' ? this.sessions.get(token) : undefined;
    if (!session || !session.is_active || Date.parse(session.expires_at) <= Date.now()) return undefined;
    return session;
  }

  #later(ms: number, task: () => Promise<unknown>): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      task().catch(() => {});
    }, ms);
    this.#timers.add(timer);
  }

  async #post(url: string, body: unknown): Promise<Response> {
    return fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.options.internalToken ? { authorization: `Bearer ${this.options.internalToken}` } : {}),
      },
      body: JSON.stringify(body),
    });
  }

  #authCallback(body: unknown, delayMs = 5): void {
    this.#later(delayMs, () => this.#post(`${this.options.gatewayUrl}/api/internal/callback`, body));
  }

  #loginData(
    auth0Token: string,
  ): { status: string; data: unknown } | 'never' | { delayMs: number; status: string; data: unknown } {
    if (auth0Token === 'never') return 'never';
    if (auth0Token === 'reject')
      return {
        status: 'error',
        data: { error: 'Invalid token signature', message: 'Token validation failed' },
      };
    const slow = /^slow-(\d+)-(.+)$/.exec(auth0Token);
    const name = slow ? slow[2]! : /^valid-(?:strid-)?(.+)$/.exec(auth0Token)?.[1];
    if (!name)
      return { status: 'error', data: { error: 'Malformed token', message: 'Token validation failed' } };
    const session = this.mintSession({ email: `${name}@example.com` });
    const user = auth0Token.startsWith('valid-strid-')
      ? { ...session.user, user_id: String(session.user.user_id) }
      : session.user;
    const data = {
      status: 'authenticated',
      session_token: session.token,
      user,
      expires_at: session.expires_at,
    };
    return slow ? { delayMs: Number(slow[1]), status: 'success', data } : { status: 'success', data };
  }

  #checkAccessData(token: unknown, playbookPath: string, action: string): { status: string; data: unknown } {
    if (playbookPath.startsWith('backend-error/'))
      return { status: 'error', data: { error: 'connection refused', message: 'Access check failed' } };
    const session = this.#validSession(token);
    if (!session || playbookPath.startsWith('forbidden/')) {
      return {
        status: 'success',
        data: {
          allowed: false,
          playbook_path: playbookPath,
          permission_type: action,
          message: 'Access denied',
        },
      };
    }
    const { user_id, email, display_name } = session.user;
    return {
      status: 'success',
      data: {
        allowed: true,
        playbook_path: playbookPath,
        permission_type: action,
        user: { user_id: String(user_id), email, display_name },
        message: 'Access granted to execute playbook',
      },
    };
  }

  #validateData(token: unknown): { valid: boolean; user?: DoubleUser; expires_at?: string; message: string } {
    const session = this.#validSession(token);
    return session
      ? { valid: true, user: session.user, expires_at: session.expires_at, message: 'Session is valid' }
      : { valid: false, message: 'Session not found or expired' };
  }

  #newExecutionId(): string {
    return String(this.#nextId++);
  }

  #sendExecution(res: ServerResponse, id: string, extra: Record<string, unknown> = {}): void {
    const idJson = this.options.numericExecutionIds ? id : JSON.stringify(id);
    const rest = JSON.stringify({ status: 'started', commands_generated: 1, ...extra }).slice(1);
    send(res, 200, `{"execution_id":${idJson},${rest}`);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Proxy tests watch this upload arrive chunk by chunk, so it is not read in one piece here.
    if (req.url?.startsWith('/api/upload/stream')) return this.#streamedUpload(req, res);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://double');
    let body: unknown;
    try {
      body =
        rawBody.length && (req.headers['content-type'] ?? '').includes('json')
          ? JSON.parse(rawBody.toString('utf8'))
          : undefined;
    } catch {
      body = undefined;
    }
    this.requests.push({
      method: req.method ?? 'GET',
      target: req.url ?? '',
      path: url.pathname,
      query: url.search,
      headers: req.headers,
      body,
      rawBody,
    });
    const input = (body ?? {}) as Record<string, unknown>;
    const path = url.pathname;

    if (req.method === 'POST' && path === '/api/execute') return this.#execute(res, input);
    const ingress = /^\/api\/internal\/ingress\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && ingress)
      return this.#ingressConfig(req, res, decodeURIComponent(ingress[1]!));
    if (req.method === 'POST' && path === '/api/events') return send(res, 200, { status: 'ok' });
    if (req.method === 'POST' && path === '/api/auth/session/validate') {
      if (!input.session_token) return send(res, 422, { detail: 'session_token required' });
      return send(res, 200, { status: 'ok', ...this.#validateData(input.session_token) });
    }
    if (req.method === 'POST' && path === '/api/auth/login') {
      const outcome = this.#loginData(String(input.auth0_token ?? ''));
      if (outcome === 'never') return; // hang: the gateway's own timeout must end it
      return send(res, 200, { status: outcome.status, data: outcome.data });
    }
    if (req.method === 'POST' && path === '/api/auth/check-playbook-access') {
      return send(
        res,
        200,
        this.#checkAccessData(
          input.session_token,
          String(input.playbook_path ?? ''),
          String(input.action ?? ''),
        ),
      );
    }
    const execution = /^\/api\/executions\/([^/]+)(\/cancel|\/rerun|\/status)?$/.exec(path);
    if (execution) {
      const [, id, action] = execution as unknown as [string, string, string | undefined];
      const known = this.executions.get(id);
      if (action === '/cancel' && req.method === 'POST') {
        if (known) known.status = 'CANCELLED';
        return send(res, 200, { status: 'cancelled', execution_id: id, cancelled_executions: [id] });
      }
      if (action === '/rerun' && req.method === 'POST') {
        if (!known) return send(res, 404, { detail: `Execution ${id} not found` });
        const rerunId = this.#newExecutionId();
        this.executions.set(rerunId, { path: known.path, workload: input.workload, status: 'RUNNING' });
        this.#maybeAutoComplete(rerunId, input.workload);
        return this.#sendExecution(res, rerunId, { path: known.path });
      }
      if (!known) return send(res, 404, { detail: `Execution ${id} not found` });
      if (action === '/status')
        return send(res, 200, {
          execution_id: id,
          status: known.status,
          current_step: null,
          is_cancelled: known.status === 'CANCELLED',
        });
      return send(res, 200, {
        execution_id: id,
        path: known.path,
        status: known.status,
        workload: known.workload,
        events: [],
      });
    }
    return this.#proxyTestRoutes(req, res, url, rawBody);
  }

  #execute(res: ServerResponse, input: Record<string, unknown>): void {
    const playbook = String(input.path ?? '');
    const workload = (input.workload ?? {}) as Record<string, unknown>;
    if (!playbook) return send(res, 422, { detail: "Either 'path' or 'catalog_id' must be provided" });
    if (this.executeFailure) return send(res, this.executeFailure.status, this.executeFailure.body);
    if (playbook.startsWith('missing/')) return send(res, 404, { detail: `Playbook not found: ${playbook}` });
    if (playbook.startsWith('broken/')) return send(res, 500, { detail: 'Internal Server Error' });
    const id = this.#newExecutionId();
    this.executions.set(id, { path: playbook, workload, status: 'RUNNING' });
    const answer = () => this.#sendExecution(res, id);
    const requestId = workload.request_id;

    if (playbook === this.options.loginPlaybook) {
      const outcome = this.#loginData(String(workload.auth0_token ?? ''));
      if (outcome !== 'never') {
        this.#authCallback(
          { request_id: requestId, execution_id: id, status: outcome.status, data: outcome.data },
          'delayMs' in outcome ? outcome.delayMs : 5,
        );
      }
    } else if (playbook === this.options.validatePlaybook) {
      this.#authCallback({
        request_id: requestId,
        execution_id: id,
        status: 'success',
        data: this.#validateData(workload.session_token),
      });
    } else if (playbook === this.options.checkAccessPlaybook) {
      const { status, data } = this.#checkAccessData(
        workload.session_token,
        String(workload.playbook_path ?? ''),
        String(workload.action ?? ''),
      );
      this.#authCallback({ request_id: requestId, execution_id: id, status, data });
    } else {
      this.#maybeAutoComplete(id, workload);
    }
    if (this.executeDelayMs > 0) setTimeout(answer, this.executeDelayMs);
    else answer();
  }

  #ingressConfig(req: IncomingMessage, res: ServerResponse, listener: string): void {
    const token = this.options.internalToken;
    if (token !== undefined && req.headers.authorization !== `Bearer ${token}`)
      return send(res, 401, { detail: 'Invalid or missing internal API token' });
    if (this.ingressConfigFailure)
      return send(res, this.ingressConfigFailure.status, this.ingressConfigFailure.body);
    const config = this.ingressListeners.get(listener);
    if (config === undefined)
      return send(res, 404, { detail: `No push subscription for ingress listener '${listener}'` });
    send(res, 200, config);
  }

  #maybeAutoComplete(executionId: string, workload: unknown): void {
    const { request_id, gateway_url } = (workload ?? {}) as Record<string, unknown>;
    if (
      this.options.autoCompleteMs === undefined ||
      typeof request_id !== 'string' ||
      typeof gateway_url !== 'string'
    )
      return;
    const delay = this.options.autoCompleteMs;
    this.#later(delay / 2, () =>
      this.#post(`${gateway_url}/api/internal/progress`, {
        request_id,
        execution_id: executionId,
        step: 'run',
        message: 'Halfway there',
        progress: 50,
      }),
    );
    this.#later(delay, async () => {
      const execution = this.executions.get(executionId);
      if (execution) execution.status = 'COMPLETED';
      await this.#post(`${gateway_url}/api/internal/callback/async`, {
        request_id,
        execution_id: executionId,
        status: 'COMPLETED',
        data: { summary: `Playbook ${execution?.path ?? ''} completed`, workload },
      });
    });
  }

  // ---- Proxy test routes and their state ----

  /** Bytes of the current `/api/upload/stream` received so far (tests wait on it mid-upload). */
  uploadBytesSeen = 0;
  /** Event streams of `/api/stream/held?id=`, held open until `/api/stream/release?id=`. */
  readonly heldStreams = new Map<string, { res: ServerResponse; closed: boolean }>();

  async #streamedUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.uploadBytesSeen = 0;
    const hash = createHash('sha256');
    for await (const chunk of req) {
      this.uploadBytesSeen += (chunk as Buffer).length;
      hash.update(chunk as Buffer);
    }
    this.requests.push({
      method: req.method ?? 'POST',
      target: req.url ?? '',
      path: new URL(req.url ?? '/', 'http://double').pathname,
      query: '',
      headers: req.headers,
      body: undefined,
      rawBody: Buffer.alloc(0),
    });
    send(res, 200, { bytes: this.uploadBytesSeen, sha256: hash.digest('hex') });
  }

  /**
   * Routes for proxy tests:
   *   /api/echo…             what arrived (method, path, query, headers, body size and sha256, client port)
   *   /api/status/<code>     that status with a JSON body
   *   /api/redirect          302 to /api/echo?redirected=1
   *   /api/slow/<ms>         answers after <ms>
   *   /api/stream            three SSE frames 200 ms apart
   *   /api/stream/held?id=   one SSE frame, then holds until /api/stream/release?id= (two more, end)
   *   /api/hop-headers       a response carrying hop-by-hop headers and end-to-end ones
   *   /api/upload/stream     (see #streamedUpload) body size and sha256, counted as it arrives
   */
  async #proxyTestRoutes(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    rawBody: Buffer,
  ): Promise<void> {
    const path = url.pathname;
    if (path.startsWith('/api/echo')) {
      res.setHeader('etag', '"echo-1"');
      res.setHeader('cache-control', 'private, max-age=5');
      res.setHeader('x-upstream', 'noetl-double');
      if (req.method === 'HEAD') return void res.writeHead(200, { 'content-type': 'application/json' }).end();
      return send(res, 200, {
        method: req.method,
        path,
        query: url.search,
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        bodyBytes: rawBody.length,
        bodySha256: createHash('sha256').update(rawBody).digest('hex'),
        clientPort: req.socket.remotePort,
      });
    }
    const status = /^\/api\/status\/(\d{3})$/.exec(path);
    if (status) return send(res, Number(status[1]), { detail: `status ${status[1]}` });
    if (path === '/api/redirect')
      return void res.writeHead(302, { location: '/api/echo?redirected=1' }).end();
    const slow = /^\/api\/slow\/(\d+)$/.exec(path);
    if (slow) return this.#later(Number(slow[1]), async () => send(res, 200, { slept: Number(slow[1]) }));
    if (path === '/api/stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      let n = 0;
      const tick = () => {
        res.write(`event: tick\ndata: {"n":${n}}\n\n`);
        if (++n < 3) this.#later(200, async () => tick());
        else res.end();
      };
      tick();
      return;
    }
    if (path === '/api/stream/held') {
      const id = url.searchParams.get('id') ?? '';
      const held = { res, closed: false };
      this.heldStreams.set(id, held);
      res.once('close', () => {
        held.closed = true;
      });
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('event: tick\ndata: {"n":0}\n\n');
      return;
    }
    if (path === '/api/stream/release') {
      const held = this.heldStreams.get(url.searchParams.get('id') ?? '');
      if (!held || held.closed) return send(res, 404, { detail: 'no such held stream' });
      held.res.write('event: tick\ndata: {"n":1}\n\n');
      held.res.end('event: tick\ndata: {"n":2}\n\n');
      return send(res, 200, { released: true });
    }
    if (path === '/api/hop-headers') {
      res.writeHead(
        200,
        [
          ['connection', 'x-hop-listed'],
          ['x-hop-listed', 'secret'],
          ['keep-alive', 'timeout=99'],
          ['proxy-authenticate', 'Basic realm="upstream"'],
          ['content-disposition', 'attachment; filename="report.csv"'],
          ['location', '/api/elsewhere'],
          ['set-cookie', 'noetl=1; Path=/'],
          ['vary', 'Accept-Encoding'],
          ['access-control-allow-origin', '*'],
          ['x-request-id', 'upstream-own-id'],
          ['content-type', 'text/csv'],
        ].flat(),
      );
      return void res.end('a,b\n1,2\n');
    }
    if (path === '/api/health') return send(res, 200, { status: 'ok' });
    send(res, 404, { detail: 'Not Found' });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
