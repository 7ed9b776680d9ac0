/**
 * @module core/lifecycle/lifecycleBridge
 * NoETL lifecycle events on the bus → `playbook/state` frames for every client watching the execution.
 * Malformed and filtered events are counted and dropped; nothing here can stop the subscription.
 * With several replicas the subscription is a queue group, so each event is routed once.
 */
import type { MessageBus } from '../../adapters/ports.ts';
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
  bus: MessageBus;
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
  readonly #subscription: Disposable;

  constructor(options: LifecycleBridgeOptions) {
    const allowedEvents = new Set(options.allowedEvents);
    const now = options.now ?? (() => new Date());
    const route = async (subject: string, payload: string): Promise<LifecycleOutcome> => {
      const parsed = parseLifecycleEvent(subject, payload, { prefix: options.prefix, allowedEvents, now });
      if (!parsed.ok) return parsed.reason;
      const clients = await options.watchers.clientsOf(parsed.params.execution_id);
      if (clients.length === 0) return 'unrouted';
      await Promise.all(clients.map((clientId) => options.router.sendState(clientId, parsed.params)));
      return 'forwarded';
    };
    this.#subscription = options.bus.subscribe(
      `${options.prefix}>`,
      async (subject, payload) => {
        try {
          options.onEvent?.(await route(subject, payload));
        } catch (error) {
          options.onEvent?.('error');
          options.onError?.(error);
        }
        return undefined;
      },
      { queue: 'noetl-gateway-lifecycle' },
    );
  }

  [Symbol.dispose](): void {
    this.#subscription[Symbol.dispose]();
  }
}
