/**
 * @module core/push/callbackDelivery
 * Workers' result and progress callbacks → frames for the client that started the execution.
 * A result is never lost: it goes to the client's frame log whether or not the client is connected
 * (then the answer is 202 "queued" and the frames are replayed when it reconnects).
 *
 * Failures (a backend away: 503) before the result frame is stored fail the callback, so the worker posts
 * it again and nothing is lost; the frames are written under ids, so a write that was stored although its
 * answer was lost is not stored twice by the retry. Once the result frame is stored the callback has
 * succeeded: cleaning up the request, or asking whether the client is connected, may fail without failing
 * it, since a retry would find the request gone (404) or send the result twice.
 *
 * Cost with NATS: the request lookup (none when the request was saved by this replica) and one JetStream
 * publish carrying the terminal state and the result; presence is answered from memory. Removing the
 * request (a compare-and-delete, its client index entry, the session's counter) happens after the answer.
 */
import type { AsyncCallbackRequest, AsyncCallbackResponse, ProgressRequest } from '../../contract/index.ts';
import { GatewayError } from '../errors.ts';
import type { FoundRequest, RequestStore } from '../executions/requestStore.ts';
import type { FrameRouter } from './frameRouter.ts';
import { isFailedCallback, progressFrame, resultFrame } from './frames.ts';

/** Clean-ups running after their callbacks were answered, at most; past it a callback waits for its own. */
const MAX_CLEANUPS_IN_FLIGHT = 1024;

export class CallbackDelivery {
  readonly #requests: RequestStore;
  readonly #router: FrameRouter;
  readonly #now: () => Date;
  readonly #onQueued: (() => void) | undefined;
  readonly #cleanups = new Set<Promise<void>>();

  constructor(
    requests: RequestStore,
    router: FrameRouter,
    options: { now?: () => Date; onQueued?: () => void } = {},
  ) {
    this.#requests = requests;
    this.#router = router;
    this.#now = options.now ?? (() => new Date());
    this.#onQueued = options.onQueued;
  }

  async deliverResult(callback: AsyncCallbackRequest): Promise<AsyncCallbackResponse> {
    const found = await this.#requests.lookup(callback.request_id);
    if (!found) throw new GatewayError('not_found', 'Request not found');
    const pending = found.request;
    const executionId = callback.execution_id ?? pending.execution_id;
    const failed = isFailedCallback(callback);
    await this.#router.sendResult(
      pending.client_id,
      {
        at: this.#now().toISOString().replace('Z', '+00:00'),
        event_type: failed ? 'playbook.failed' : 'playbook.completed',
        execution_id: executionId,
        status: failed ? 'failed' : 'completed',
        step_name: null,
      },
      resultFrame(callback, executionId),
    );
    await this.#cleanUp(found);
    const connected = await this.#router.isConnected(pending.client_id).catch(() => false);
    if (connected) return { status: 'delivered' };
    this.#onQueued?.();
    return { clientDisconnected: true, status: 'queued' };
  }

  async deliverProgress(progress: ProgressRequest): Promise<{ status: 'sent' }> {
    const pending = await this.#requests.get(progress.request_id);
    if (!pending) throw new GatewayError('not_found', 'Request not found');
    await this.#router.send(
      pending.client_id,
      progressFrame(progress, progress.execution_id ?? pending.execution_id),
    );
    return { status: 'sent' };
  }

  /** Resolves once every clean-up started so far has ended (shutdown, tests). */
  async settled(): Promise<void> {
    while (this.#cleanups.size > 0) await Promise.all([...this.#cleanups]);
  }

  /**
   * Removes the delivered request without holding up the answer. The entry (and its indexes) expire with
   * the bucket's TTL if this fails. Waits only when too many clean-ups are already running.
   */
  async #cleanUp(found: FoundRequest): Promise<void> {
    const cleanup = this.#requests
      .remove(found.requestId, found.request, found.revision)
      .catch(() => {})
      .finally(() => this.#cleanups.delete(cleanup));
    this.#cleanups.add(cleanup);
    if (this.#cleanups.size > MAX_CLEANUPS_IN_FLIGHT) await cleanup;
  }
}
