/**
 * @module core/executions/executionService
 * Starts (or reruns) a playbook for an authenticated caller. With a client id, the workload carries
 * `request_id` and `gateway_url` so the worker can call back, and the pending request is stored with the
 * caller's session before the answer goes out: a request id is never handed out for nothing. The request is
 * counted against the session's limit before NoETL is called (in O(1), see pendingCounter) and uncounted
 * when the execution does not start or cannot be stored.
 */
import { randomUUID } from 'node:crypto';
import type { NoetlApi } from '../../adapters/ports.ts';
import type { ExecuteResponse, ExecutionSubscriptionResponse, ResourceKind } from '../../contract/index.ts';
import { isRawJson } from '../../lib/losslessJson.ts';
import { GatewayError, UpstreamError } from '../errors.ts';
import type { ExecutionWatchers } from '../lifecycle/executionWatchers.ts';
import { executeCatalogEntry, rerunExecution, type StartedExecution } from '../noetlCalls.ts';
import type { ClientRegistry } from '../push/clientRegistry.ts';
import type { Session } from '../sessions/sessionResolver.ts';
import type { ExecutionAccess } from './executionAccess.ts';
import type { RequestStore } from './requestStore.ts';

export interface ExecutionServiceOptions {
  noetl: NoetlApi;
  requests: RequestStore;
  clients: ClientRegistry;
  watchers: ExecutionWatchers;
  /** Auth playbooks refused; who may watch which execution (ownership recorded at start). */
  access: ExecutionAccess;
  /** Recording who started an execution failed (the execution runs; its owner may then need NoETL's grant). */
  onOwnerRecordFailed?: (error: unknown) => void;
  gatewayUrl: string;
  /** Requests with a client id one session may have waiting for their result. */
  maxPendingPerSession: number;
  now?: () => number;
}

export interface StartRequest {
  workload: unknown;
  clientId: string | undefined;
  session: Session;
}

interface Callback {
  requestId: string;
  workload: unknown;
}

/**
 * NoETL refusing the request (unknown playbook or execution, invalid body) is the caller's problem, not a
 * gateway failure: 404 stays 404, other 4xx become 422. The message keeps NoETL's status and body.
 */
function asClientError(error: unknown): never {
  if (error instanceof UpstreamError && error.upstreamStatus >= 400 && error.upstreamStatus < 500) {
    throw new GatewayError(error.upstreamStatus === 404 ? 'not_found' : 'unprocessable', error.message, {
      cause: error,
    });
  }
  throw error;
}

export class ExecutionService {
  readonly #options: ExecutionServiceOptions;

  constructor(options: ExecutionServiceOptions) {
    this.#options = options;
  }

  /** 403 for an auth playbook path (also what `/noetl/execute` bodies are checked with). */
  refuseAuthPlaybook(path: string): void {
    this.#options.access.refuseAuthPlaybook(path);
  }

  async execute(
    request: StartRequest & { path: string; resourceKind: ResourceKind },
  ): Promise<ExecuteResponse> {
    this.#options.access.refuseAuthPlaybook(request.path);
    return this.#start(request, request.path, (workload) =>
      executeCatalogEntry(this.#options.noetl, {
        path: request.path,
        workload,
        resource_kind: request.resourceKind,
      }),
    );
  }

  async rerun(request: StartRequest & { executionId: string }): Promise<ExecuteResponse> {
    await this.#options.access.refuseRerun(request.executionId, request.session);
    return this.#start(request, `rerun:${request.executionId}`, (workload) =>
      rerunExecution(this.#options.noetl, request.executionId, workload),
    );
  }

  async #start(
    request: StartRequest,
    playbookPath: string,
    start: (workload: unknown) => Promise<StartedExecution>,
  ): Promise<ExecuteResponse> {
    const createdAt = Math.floor((this.#options.now?.() ?? Date.now()) / 1000);
    const callback = request.clientId
      ? await this.#prepareCallback(request.clientId, request.session, request.workload, createdAt)
      : undefined;
    let started: StartedExecution;
    try {
      started = await start(callback?.workload ?? request.workload ?? {}).catch(asClientError);
    } catch (error) {
      // Nothing started: the reservation is handed back (a failure to do so must not hide NoETL's answer).
      if (callback) await this.#options.requests.unreserve(request.session.token, createdAt).catch(() => {});
      throw error;
    }
    // Who started it, for the subscription rule; a failure must not hide an execution that runs.
    const recorded = this.#options.access
      .record(started.execution_id, request.session)
      .catch((error: unknown) => this.#options.onOwnerRecordFailed?.(error));
    if (callback && request.clientId) {
      // Independent writes, sent together (one round trip of waiting), and both settled before deciding.
      const [saved, watched] = await Promise.allSettled([
        this.#options.requests.save(callback.requestId, {
          client_id: request.clientId,
          session_token: request.session.token,
          execution_id: started.execution_id,
          playbook_path: playbookPath,
          created_at: createdAt,
        }),
        this.#options.watchers.watch(started.execution_id, request.clientId, false),
      ]);
      const failed =
        saved.status === 'rejected' ? saved : watched.status === 'rejected' ? watched : undefined;
      if (failed) {
        const error: unknown = failed.reason;
        // A saved request keeps counting until its result comes or it expires; an unsaved one never will.
        if (saved.status === 'rejected')
          await this.#options.requests.unreserve(request.session.token, createdAt).catch(() => {});
        throw new GatewayError(
          'unavailable',
          `Execution ${started.execution_id} started, but its result cannot be routed: the request store failed (${(error as Error).message})`,
          { cause: error },
        );
      }
    }
    await recorded;
    return {
      execution_id: started.execution_id,
      request_id: callback?.requestId ?? null,
      name: started.name ?? (playbookPath.startsWith('rerun:') ? (started.path ?? null) : playbookPath),
      status: started.status ?? null,
    };
  }

  /**
   * Lifecycle frames of an execution the client did not start through the gateway (e.g. via /noetl/execute),
   * when the subscription rule lets this session see it (see executionAccess).
   */
  async subscribe(
    executionId: string,
    clientId: string,
    session: Session,
  ): Promise<ExecutionSubscriptionResponse> {
    await this.#claim(clientId, session);
    await this.#options.access.refuseSubscription(executionId, session);
    await this.#options.watchers.watch(executionId, clientId, true);
    return { execution_id: executionId, client_id: clientId, subscribed: true };
  }

  async unsubscribe(
    executionId: string,
    clientId: string,
    session: Session,
  ): Promise<ExecutionSubscriptionResponse> {
    await this.#claim(clientId, session);
    await this.#options.watchers.unwatch(executionId, clientId);
    return { execution_id: executionId, client_id: clientId, subscribed: false };
  }

  async #claim(clientId: string, session: Session): Promise<void> {
    if (!(await this.#options.clients.confirm(clientId, session.token)))
      throw new GatewayError('forbidden', 'client_id belongs to another session');
  }

  /** Claims the client id and counts the request against the session's limit (429 past it). */
  async #prepareCallback(
    clientId: string,
    session: Session,
    workload: unknown,
    createdAt: number,
  ): Promise<Callback> {
    await this.#claim(clientId, session);
    const limit = this.#options.maxPendingPerSession;
    if (!(await this.#options.requests.reserve(session.token, createdAt, limit))) {
      throw new GatewayError(
        'too_many_requests',
        `This session already has ${limit} executions waiting for their result; retry when some finish`,
      );
    }
    const requestId = randomUUID();
    const body = workload ?? {};
    const injected =
      body && typeof body === 'object' && !Array.isArray(body) && !isRawJson(body)
        ? {
            ...(body as Record<string, unknown>),
            request_id: requestId,
            gateway_url: this.#options.gatewayUrl,
          }
        : body;
    return { requestId, workload: injected };
  }
}
