/**
 * @module core/lifecycle/lifecycleBridge
 * NoETL lifecycle events → `playbook/state` frames for every client watching the execution. Events come
 * from the bus (NATS subjects; with several replicas a queue group, so each event is routed once) or are
 * handed to `deliver` by another source (EHDB's event feed, which carries no subject).
 * Malformed and filtered events are counted and dropped; nothing here can stop the subscription.
 */
import { BackendUnavailableError, type MessageBus } from '../../adapters/ports.ts';
import type { FrameRouter } from '../push/frameRouter.ts';
import type { ExecutionWatchers } from './executionWatchers.ts';
import { parseLifecycleEvent } from './lifecycleEvent.ts';

export type LifecycleOutcome =
  | 'forwarded'
  | 'unrouted'
  | 'malformed'
  | 'filtered'
  | 'no_execution_id'
  | 'error';

export interface LifecycleBridgeOptions {
  /** Subscribe to `<prefix>>` on this bus; none: events arrive through `deliver` only. */
  bus?: MessageBus;
  router: FrameRouter;
  watchers: ExecutionWatchers;
  /** Normalised, ends with one dot. */
  prefix: string;
  allowedEvents: string[];
  onEvent?: (outcome: LifecycleOutcome) => void;
  onError?: (error: unknown) => void;
  now?: () => Date;
}

export class LifecycleBridge implements Disposable {
  readonly #options: LifecycleBridgeOptions;
  readonly #allowedEvents: ReadonlySet<string>;
  readonly #now: () => Date;
  readonly #subscription: Disposable | undefined;

  constructor(options: LifecycleBridgeOptions) {
    this.#options = options;
    this.#allowedEvents = new Set(options.allowedEvents);
    this.#now = options.now ?? (() => new Date());
    this.#subscription = options.bus?.subscribe(
      `${options.prefix}>`,
      async (subject, payload) => {
        try {
          options.onEvent?.(await this.#route(subject, payload));
        } catch (error) {
          options.onEvent?.('error');
          options.onError?.(error);
        }
        return undefined;
      },
      { queue: 'noetl-gateway-lifecycle' },
    );
  }

  /**
   * Routes one event that came without a subject (the execution id must be in the payload). `eventId`
   * names the event in the frame log, so the same event delivered again (by another replica reading the
   * same feed, or retried) is stored once per client. Rejects only with BackendUnavailableError — a store
   * was away and the event should be delivered again; any other failure is counted and logged here.
   */
  async deliver(payload: string, eventId?: string): Promise<void> {
    try {
      this.#options.onEvent?.(await this.#route('', payload, eventId));
    } catch (error) {
      this.#options.onEvent?.('error');
      if (error instanceof BackendUnavailableError) throw error;
      this.#options.onError?.(error);
    }
  }

  async #route(subject: string, payload: string, eventId?: string): Promise<LifecycleOutcome> {
    const { prefix, watchers, router } = this.#options;
    const parsed = parseLifecycleEvent(subject, payload, {
      prefix,
      allowedEvents: this.#allowedEvents,
      now: this.#now,
    });
    if (!parsed.ok) return parsed.reason;
    const clients = await watchers.clientsOf(parsed.params.execution_id);
    if (clients.length === 0) return 'unrouted';
    await Promise.all(clients.map((clientId) => router.sendState(clientId, parsed.params, eventId)));
    return 'forwarded';
  }

  [Symbol.dispose](): void {
    this.#subscription?.[Symbol.dispose]();
  }
}
