/**
 * @module gatewayClient
 * `GatewayClient`: what every SPA used to hand-write (wait for the init frame, keep pending callbacks
 * by request id, reconnect, time out, fall back to polling) as one object. Log in, connect once, then
 * `executeAndWait` resolves with the `playbook/result` of that execution or rejects with a typed error.
 *
 * REST (generated types) carries the calls, the event stream carries the results. A result may reach
 * the stream before the HTTP answer that names its request id; the mailboxes keep it until asked for.
 */
import {
  type ErrorFrame,
  FrameErrorCode,
  type FrameEventName,
  type FrameOf,
  type InitResult,
  type PlaybookProgressParams,
  type PlaybookResultParams,
  type PlaybookStateParams,
  SubscriptionErrorData,
  type SubscriptionEventParams,
} from './contract.ts';
import {
  ClientClosedError,
  GatewayClientError,
  PlaybookFailedError,
  ServerFrameError,
  SessionExpiredError,
  WaitTimeoutError,
} from './errors.ts';
import { Emitter } from './events/emitter.ts';
import {
  type EventStreamOptions,
  GatewayEventStream,
  type StreamEvents,
  type StreamStatus,
} from './events/eventStream.ts';
import type { ParsedFrame } from './events/parseFrame.ts';
import { createRestClient, type RestClient, type Schemas, unwrap } from './rest.ts';
import { ExecutionSubscription } from './subscriptions/executionSubscription.ts';
import { FirestoreSubscription } from './subscriptions/firestoreSubscription.ts';
import { Mailbox } from './waiting/mailbox.ts';

export interface GatewayClientOptions {
  /** Gateway origin, e.g. `https://gateway.example.com` or `http://localhost:8090`. */
  baseUrl: string;
  /** A session token saved earlier (e.g. in localStorage): skip `login()`. */
  sessionToken?: string | undefined;
  /** Sent with `login()`; the gateway has a default. */
  auth0Domain?: string | undefined;
  /** fetch for every call and the stream (defaults to `globalThis.fetch`). */
  fetch?: typeof globalThis.fetch | undefined;
  /** Default deadline of `executeAndWait` and `waitForExecution`. 120 s, as the SPAs' callback timeout. */
  waitTimeoutMs?: number | undefined;
  /** Deadline for the init frame in `connect()`. 10 s, as the SPAs' `waitForSSEConnection`. */
  connectTimeoutMs?: number | undefined;
  /** Heartbeat watchdog and reconnect backoff of the event stream. */
  stream?: Pick<EventStreamOptions, 'heartbeatMs' | 'heartbeatTolerance' | 'reconnectDelayMs'> | undefined;
  /** Called once when the gateway says the session is gone (401 or the stream's -32002 frame). */
  onSessionExpired?: ((error: SessionExpiredError) => void) | undefined;
}

export type User = Schemas['User'];

export interface Session {
  token: string;
  /** Unknown when the client was built from a saved token and `validate()` has not run yet. */
  user: User | null;
  expiresAt: string | null;
}

/** The answer of `execute`: ids to wait on or look the execution up by. */
export interface Execution {
  executionId: string;
  requestId: string;
  name: string | null;
  status: string | null;
}

/** A successful `playbook/result`. */
export interface PlaybookResult {
  executionId: string;
  requestId: string;
  status: string;
  data: unknown;
}

export interface ExecuteOptions {
  resourceKind?: 'playbook' | 'agent' | undefined;
}

export interface WaitForOptions {
  /** Overrides the client's `waitTimeoutMs`; `Infinity` waits without a deadline. */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

export interface ExecuteAndWaitOptions extends ExecuteOptions, WaitForOptions {
  /** `playbook/progress` frames of this execution. */
  onProgress?: ((progress: PlaybookProgressParams) => void) | undefined;
}

export interface GatewayClientEvents extends Record<string, unknown> {
  status: StreamStatus;
  connected: StreamEvents['connected'];
  frame: ParsedFrame;
  error: GatewayClientError;
  /** The session changed: logged in (a Session) or gone (null). */
  session: Session | null;
}

/** `playbook/state` event types that end an execution, and whether it succeeded. */
const TERMINAL_EVENT_TYPES: Record<string, 'completed' | 'failed'> = {
  'playbook.completed': 'completed',
  'playbook.failed': 'failed',
};

/** Subscription frames can outrun the answer that names their subscription id; kept this many. */
const MAX_UNCLAIMED_SUBSCRIPTION_FRAMES = 500;

export class GatewayClient {
  readonly baseUrl: string;
  /** Typed REST client (openapi-fetch) for any route of the OpenAPI document. */
  readonly rest: RestClient;
  readonly #options: GatewayClientOptions;
  readonly #fetch: typeof globalThis.fetch;
  readonly #emitter = new Emitter<GatewayClientEvents>();
  readonly #results = new Mailbox<PlaybookResultParams>();
  readonly #endings = new Mailbox<PlaybookStateParams>();
  readonly #firestore = new Map<string, FirestoreSubscription>();
  #unclaimedSubscriptionFrames: SubscriptionEventParams[] = [];
  #session: Session | undefined;
  #stream: GatewayEventStream | undefined;
  #closed = false;

  constructor(options: GatewayClientOptions) {
    this.#options = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    if (options.sessionToken) this.#session = { token: options.sessionToken, user: null, expiresAt: null };
    const getToken = () => this.#session?.token;
    const onUnauthorized = () => this.#expire(new SessionExpiredError('The gateway answered 401'));
    this.rest = createRestClient({
      baseUrl: this.baseUrl,
      getToken,
      onUnauthorized,
      fetch: (request) => this.#fetch(request),
    });
  }

  get session(): Session | undefined {
    return this.#session;
  }
  /** The SSE client id, once connected. */
  get clientId(): string | undefined {
    return this.#stream?.clientId;
  }
  get status(): StreamStatus {
    return this.#stream?.status ?? (this.#closed ? 'closed' : 'idle');
  }
  /** The event stream of the current session (undefined before `connect()`). */
  get stream(): GatewayEventStream | undefined {
    return this.#stream;
  }

  on<K extends keyof GatewayClientEvents>(
    name: K,
    listener: (payload: GatewayClientEvents[K]) => void,
  ): () => void {
    return this.#emitter.on(name, listener);
  }

  /** One frame type, validated and narrowed; works before `connect()` and across reconnects. */
  onFrame<E extends FrameEventName>(event: E, listener: (frame: FrameOf<E>, id: string) => void): () => void {
    return this.#emitter.on('frame', (parsed) => {
      if (parsed.event === event) listener(parsed.frame as FrameOf<E>, parsed.id);
    });
  }

  /** Progress frames, optionally of one request or execution only. */
  onProgress(
    listener: (progress: PlaybookProgressParams) => void,
    filter: { requestId?: string; executionId?: string } = {},
  ): () => void {
    return this.onFrame('playbook/progress', ({ params }) => {
      if (filter.requestId !== undefined && params.requestId !== filter.requestId) return;
      if (filter.executionId !== undefined && params.executionId !== filter.executionId) return;
      listener(params);
    });
  }

  /** Exchanges an Auth0 ID token for a gateway session (`POST /api/auth/login`). */
  async login(
    idToken: string,
    options: { auth0Domain?: string; sessionDurationHours?: number } = {},
  ): Promise<Schemas['LoginResponse']> {
    this.#assertOpen();
    const auth0Domain = options.auth0Domain ?? this.#options.auth0Domain;
    const answer = unwrap(
      await this.rest.POST('/api/auth/login', {
        body: {
          auth0_token: idToken,
          ...(auth0Domain ? { auth0_domain: auth0Domain } : {}),
          ...(options.sessionDurationHours ? { session_duration_hours: options.sessionDurationHours } : {}),
        },
      }),
    );
    this.#setSession({ token: answer.session_token, user: answer.user, expiresAt: answer.expires_at });
    return answer;
  }

  /** Asks the gateway whether the session is still valid; an invalid one is dropped (as the SPAs do). */
  async validate(): Promise<Schemas['ValidateResponse']> {
    const token = this.#requireSession().token;
    const answer = unwrap(await this.rest.POST('/api/auth/validate', { body: { session_token: token } }));
    if (this.#session?.token !== token) return answer; // a login happened meanwhile
    if (answer.valid) this.#setSession({ token, user: answer.user, expiresAt: answer.expires_at });
    else this.#expire(new SessionExpiredError(answer.message));
    return answer;
  }

  /** `POST /api/auth/check-access` for a playbook path (fails closed on the gateway). */
  async checkAccess(playbookPath: string, permission = 'execute'): Promise<Schemas['CheckAccessResponse']> {
    const token = this.#requireSession().token;
    return unwrap(
      await this.rest.POST('/api/auth/check-access', {
        body: { session_token: token, playbook_path: playbookPath, permission_type: permission },
      }),
    );
  }

  /** Opens the event stream (once) and resolves with its init frame's result. */
  connect(options: { signal?: AbortSignal } = {}): Promise<InitResult> {
    this.#assertOpen();
    const session = this.#requireSession();
    if (!this.#stream) this.#stream = this.#openStream(session.token);
    return this.#stream.ready({ timeoutMs: this.#options.connectTimeoutMs ?? 10_000, ...options });
  }

  /** Starts a playbook whose result is pushed to this client. Connects first if needed. */
  async execute(path: string, workload?: unknown, options: ExecuteOptions = {}): Promise<Execution> {
    const { clientId } = await this.connect();
    const answer = unwrap(
      await this.rest.POST('/api/playbooks/execute', {
        body: {
          path,
          workload,
          client_id: clientId,
          ...(options.resourceKind ? { resource_kind: options.resourceKind } : {}),
        },
      }),
    );
    if (answer.request_id === null)
      throw new GatewayClientError(
        `The gateway started execution ${answer.execution_id} but returned no request_id to wait on`,
      );
    return {
      executionId: answer.execution_id,
      requestId: answer.request_id,
      name: answer.name,
      status: answer.status,
    };
  }

  /**
   * Starts a playbook and resolves with its `playbook/result`. Rejects with `PlaybookFailedError` when
   * the playbook fails, `WaitTimeoutError` after the deadline (the execution may still finish).
   */
  async executeAndWait(
    path: string,
    workload?: unknown,
    options: ExecuteAndWaitOptions = {},
  ): Promise<PlaybookResult> {
    const onProgress = options.onProgress;
    let requestId: string | undefined;
    const early: PlaybookProgressParams[] = [];
    const stopProgress = onProgress
      ? this.onProgress((progress) => {
          if (requestId === undefined) early.push(progress);
          else if (progress.requestId === requestId) onProgress(progress);
        })
      : () => {};
    try {
      const execution = await this.execute(path, workload, options);
      requestId = execution.requestId;
      for (const progress of early.splice(0)) if (progress.requestId === requestId) onProgress?.(progress);
      return await this.#awaitResult(execution.requestId, options, {
        executionId: execution.executionId,
        what: `No result for ${path}`,
      });
    } finally {
      stopProgress();
    }
  }

  /**
   * Waits for the `playbook/result` of a request this client started (`execute()` returned its id).
   * A result that arrived before this call is answered from what was kept (for 5 minutes).
   */
  waitForResult(requestId: string, options: WaitForOptions = {}): Promise<PlaybookResult> {
    return this.#awaitResult(requestId, options, { what: `No playbook/result for request ${requestId}` });
  }

  /**
   * Waits for the terminal `playbook/state` of an execution (one this client started, or subscribed
   * to with `subscribeToExecution`). Resolves on `playbook.completed`; rejects on `playbook.failed`.
   */
  async waitForExecution(executionId: string, options: WaitForOptions = {}): Promise<PlaybookStateParams> {
    await this.connect();
    const timeoutMs = this.#timeout(options);
    const state = await this.#endings.wait(executionId, {
      timeoutMs,
      signal: options.signal,
      timeoutError: () =>
        new WaitTimeoutError(`Execution ${executionId} did not end within ${timeoutMs} ms`, { executionId }),
    });
    if (TERMINAL_EVENT_TYPES[state.event_type] === 'failed')
      throw new PlaybookFailedError(`Execution ${executionId} failed`, { executionId }, undefined, state);
    return state;
  }

  /**
   * Asks for the lifecycle frames of an execution this client did not start through the gateway
   * (`POST /api/executions/subscribe`); `close()` on the answer unsubscribes.
   */
  async subscribeToExecution(executionId: string): Promise<ExecutionSubscription> {
    const { clientId } = await this.connect();
    const body = { execution_id: executionId, client_id: clientId };
    const answer = unwrap(await this.rest.POST('/api/executions/subscribe', { body }));
    return new ExecutionSubscription({
      executionId: answer.execution_id,
      clientId: answer.client_id,
      listen: (onState) => this.onFrame('playbook/state', ({ params }) => onState(params)),
      waitForEnd: (options) => this.waitForExecution(answer.execution_id, options),
      unsubscribe: async () => {
        unwrap(await this.rest.POST('/api/executions/unsubscribe', { body }));
      },
    });
  }

  /**
   * Subscribes to a Firestore collection path (`POST /api/subscriptions/firestore`); the answer keeps a
   * live map of its documents. `close()` on it sends `DELETE /api/subscriptions/{id}`.
   */
  async subscribeFirestore(path: string, options: { scope?: string } = {}): Promise<FirestoreSubscription> {
    const { clientId } = await this.connect();
    const answer = unwrap(
      await this.rest.POST('/api/subscriptions/firestore', {
        body: { path, scope: options.scope ?? 'owner', client_id: clientId },
      }),
    );
    const subscriptionId = answer.subscription_id;
    const subscription = new FirestoreSubscription(subscriptionId, path, async () => {
      this.#firestore.delete(subscriptionId);
      unwrap(
        await this.rest.DELETE('/api/subscriptions/{subscription_id}', {
          params: { path: { subscription_id: subscriptionId } },
          // A DELETE sent while the page unloads must still leave (the travel SPA's choice).
          keepalive: true,
        }),
      );
    });
    this.#firestore.set(subscriptionId, subscription);
    const mine = this.#unclaimedSubscriptionFrames.filter(
      (frame) => frame.subscription_id === subscriptionId,
    );
    this.#unclaimedSubscriptionFrames = this.#unclaimedSubscriptionFrames.filter(
      (frame) => frame.subscription_id !== subscriptionId,
    );
    for (const frame of mine) subscription.apply(frame);
    return subscription;
  }

  /** Closes the stream and rejects everything still waiting. The client cannot be used afterwards. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stream?.close();
    this.#stream = undefined;
    const error = new ClientClosedError('The gateway client was closed');
    this.#results.rejectAll(error);
    this.#endings.rejectAll(error);
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #openStream(token: string): GatewayEventStream {
    const stream = new GatewayEventStream({
      baseUrl: this.baseUrl,
      sessionToken: token,
      fetch: (url, init) => this.#fetch(url, init),
      ...this.#options.stream,
    });
    stream.on('status', (status) => this.#emitter.emit('status', status));
    stream.on('connected', (connected) => this.#emitter.emit('connected', connected));
    stream.on('error', (error) => this.#emitter.emit('error', error));
    stream.on('frame', (parsed) => this.#route(parsed));
    stream.on('closed', ({ reason }) => {
      if (this.#stream === stream) this.#stream = undefined;
      if (reason instanceof SessionExpiredError) this.#expire(reason);
      else if (reason) {
        this.#emitter.emit('error', reason);
        this.#results.rejectAll(reason);
        this.#endings.rejectAll(reason);
      }
    });
    return stream.open();
  }

  /** Feeds the mailboxes and subscriptions, then the client's frame listeners. */
  #route(parsed: ParsedFrame): void {
    switch (parsed.event) {
      case 'playbook/result':
        this.#results.deliver(parsed.frame.params.requestId, parsed.frame.params);
        break;
      case 'playbook/state': {
        const params = parsed.frame.params;
        if (TERMINAL_EVENT_TYPES[params.event_type]) this.#endings.deliver(params.execution_id, params);
        break;
      }
      case 'subscription/event': {
        const params = parsed.frame.params;
        const subscription = this.#firestore.get(params.subscription_id);
        if (subscription) subscription.apply(params);
        else {
          this.#unclaimedSubscriptionFrames.push(params);
          if (this.#unclaimedSubscriptionFrames.length > MAX_UNCLAIMED_SUBSCRIPTION_FRAMES)
            this.#unclaimedSubscriptionFrames.shift();
        }
        break;
      }
      case 'error':
        this.#routeSubscriptionFault(parsed.frame);
        break;
      default:
        break;
    }
    this.#emitter.emit('frame', parsed);
  }

  /** An `error` frame about a Firestore subscription (code -32010, `data` names it) goes to that subscription. */
  #routeSubscriptionFault(frame: ErrorFrame): void {
    if (frame.error.code !== FrameErrorCode.subscription) return;
    const data = SubscriptionErrorData.safeParse(frame.error.data);
    if (!data.success) return;
    const subscription = this.#firestore.get(data.data.subscription_id);
    if (!subscription) return;
    if (!data.data.retrying) this.#firestore.delete(data.data.subscription_id);
    subscription.fail({
      error: new ServerFrameError(frame),
      reason: data.data.reason,
      retrying: data.data.retrying,
    });
  }

  #setSession(session: Session): void {
    const previous = this.#session;
    this.#session = session;
    // A stream belongs to one session (its client id is claimed by that token): start over on a new one.
    if (previous && previous.token !== session.token && this.#stream) {
      this.#stream.close();
      this.#stream = undefined;
    }
    this.#emitter.emit('session', session);
  }

  #expire(error: SessionExpiredError): void {
    if (!this.#session) return;
    this.#session = undefined;
    this.#stream?.close(error);
    this.#stream = undefined;
    this.#results.rejectAll(error);
    this.#endings.rejectAll(error);
    this.#emitter.emit('session', null);
    this.#options.onSessionExpired?.(error);
  }

  #requireSession(): Session {
    this.#assertOpen();
    if (!this.#session) throw new SessionExpiredError('Not logged in: call login() first');
    return this.#session;
  }

  #assertOpen(): void {
    if (this.#closed) throw new ClientClosedError('The gateway client was closed');
  }

  async #awaitResult(
    requestId: string,
    options: WaitForOptions,
    context: { executionId?: string; what: string },
  ): Promise<PlaybookResult> {
    this.#requireSession();
    const timeoutMs = this.#timeout(options);
    const params = await this.#results.wait(requestId, {
      timeoutMs,
      signal: options.signal,
      timeoutError: () =>
        new WaitTimeoutError(`${context.what} within ${timeoutMs} ms`, {
          executionId: context.executionId,
          requestId,
        }),
    });
    return toResult(params);
  }

  #timeout(options: WaitForOptions): number | undefined {
    const timeoutMs = options.timeoutMs ?? this.#options.waitTimeoutMs ?? 120_000;
    return Number.isFinite(timeoutMs) ? timeoutMs : undefined;
  }
}

function toResult(params: PlaybookResultParams): PlaybookResult {
  if ('error' in params) {
    throw new PlaybookFailedError(
      params.error.message,
      { executionId: params.executionId, requestId: params.requestId },
      params.error.code,
      params.error.data,
    );
  }
  const ids = { executionId: params.executionId, requestId: params.requestId };
  // A worker may report FAILED without an error object; the SPAs treated either as a failure.
  if (params.status.toUpperCase() === 'FAILED')
    throw new PlaybookFailedError('Playbook execution failed', ids, undefined, params.data);
  return { ...ids, status: params.status, data: params.data };
}
