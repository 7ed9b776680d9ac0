/**
 * @module core/push/callbackDelivery
 * Workers' result and progress callbacks → frames for the client that started the execution.
 * A result is never lost: it goes to the client's frame log whether or not the client is connected
 * (then the answer is 202 "queued" and the frames are replayed when it reconnects).
 *
 * Failures (a backend away: 503) before the result frame is stored fail the callback, so the worker posts
 * it again and nothing is lost. Once the result frame is stored the callback has succeeded: cleaning up
 * the request, or asking whether the client is connected, may fail without failing it, since a retry
 * would find the request gone (404) or send the result twice.
 */
import type { AsyncCallbackRequest, AsyncCallbackResponse, ProgressRequest } from '../../contract/index.ts';
import { GatewayError } from '../errors.ts';
import type { RequestStore } from '../executions/requestStore.ts';
import type { FrameRouter } from './frameRouter.ts';
import { isFailedCallback, progressFrame, resultFrame } from './frames.ts';

export class CallbackDelivery {
  readonly #requests: RequestStore;
  readonly #router: FrameRouter;
  readonly #now: () => Date;
  readonly #onQueued: (() => void) | undefined;

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
    const pending = await this.#requests.get(callback.request_id);
    if (!pending) throw new GatewayError('not_found', 'Request not found');
    const executionId = callback.execution_id ?? pending.execution_id;
    const failed = isFailedCallback(callback);
    // The state frame comes first: the travel SPA resolves its waiter on it, then reads the result.
    await this.#router.sendState(pending.client_id, {
      at: this.#now().toISOString().replace('Z', '+00:00'),
      event_type: failed ? 'playbook.failed' : 'playbook.completed',
      execution_id: executionId,
      status: failed ? 'failed' : 'completed',
      step_name: null,
    });
    await this.#router.send(pending.client_id, resultFrame(callback, executionId));
    // The pending entry (and its indexes) expire with the bucket's TTL if this fails.
    await this.#requests.remove(callback.request_id, pending).catch(() => {});
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
}
