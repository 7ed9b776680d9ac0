/**
 * @module core/auth/callbackWaiters
 * Auth playbooks answer asynchronously: the gateway registers a waiter under a fresh request id, starts
 * the playbook, and the callback (HTTP on any replica, or published on the bus) resolves the waiter.
 */
import type { MessageBus } from '../../adapters/ports.ts';
import { AuthCallbackRequest } from '../../contract/index.ts';
import { parseJsonLossless } from '../../lib/losslessJson.ts';
import { GatewayError } from '../errors.ts';

const DELIVERED = 'delivered';
const PEER_ANSWER_TIMEOUT_MS = 2000;

export interface CallbackWaitersOptions {
  bus: MessageBus;
  /** `<prefix>.<request_id>` subjects carry callbacks between replicas (and from playbooks directly). */
  subjectPrefix: string;
  maxPending: number;
}

export class CallbackWaiters implements Disposable {
  readonly #waiting = new Map<string, (callback: AuthCallbackRequest) => void>();
  readonly #options: CallbackWaitersOptions;
  readonly #subscription: Disposable;

  constructor(options: CallbackWaitersOptions) {
    this.#options = options;
    this.#subscription = options.bus.subscribe(`${options.subjectPrefix}.>`, (_subject, payload) => {
      const callback = CallbackWaiters.#parse(payload);
      return callback && this.#deliverLocally(callback) ? DELIVERED : undefined;
    });
  }

  subjectFor(requestId: string): string {
    return `${this.#options.subjectPrefix}.${requestId}`;
  }

  get pending(): number {
    return this.#waiting.size;
  }

  /**
   * Registers a waiter for `requestId` (before the playbook starts, so an early callback is not lost).
   * The promise rejects when `signal` aborts; the waiter is removed either way.
   */
  wait(requestId: string, signal: AbortSignal): Promise<AuthCallbackRequest> {
    if (this.#waiting.size >= this.#options.maxPending) {
      return Promise.reject(
        new GatewayError('unavailable', 'Too many auth requests in flight; please retry'),
      );
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#waiting.delete(requestId);
        reject(signal.reason);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.set(requestId, (callback) => {
        signal.removeEventListener('abort', onAbort);
        resolve(callback);
      });
    });
  }

  /** Hands a callback to its waiter, on this replica or any other. True when a waiter took it. */
  async deliver(callback: AuthCallbackRequest): Promise<boolean> {
    if (this.#deliverLocally(callback)) return true;
    const answer = await this.#options.bus.request(
      this.subjectFor(callback.request_id),
      JSON.stringify(callback),
      PEER_ANSWER_TIMEOUT_MS,
    );
    return answer === DELIVERED;
  }

  #deliverLocally(callback: AuthCallbackRequest): boolean {
    const resolve = this.#waiting.get(callback.request_id);
    if (!resolve) return false;
    this.#waiting.delete(callback.request_id);
    resolve(callback);
    return true;
  }

  static #parse(payload: string): AuthCallbackRequest | undefined {
    try {
      const parsed = AuthCallbackRequest.safeParse(parseJsonLossless(payload));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  [Symbol.dispose](): void {
    this.#subscription[Symbol.dispose]();
  }
}
