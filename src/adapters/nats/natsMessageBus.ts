/**
 * @module adapters/nats/natsMessageBus
 * Publish/subscribe/request between replicas on core NATS (at most once, `*` and `>` wildcards).
 * Subscriptions made before NATS is reachable are opened when it connects; the client restores them
 * after a reconnect by itself. While NATS is away, `publish` and `request` reject at once with
 * `NatsUnavailableError` (503, retry) instead of buffering or answering "nobody there".
 */
import { errors, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { outgoingCall } from '../../observability/tracing.ts';
import type { BusHandler, MessageBus } from '../ports.ts';
import { isUnavailability, type NatsConnector, type NatsLogger, silentLogger } from './natsConnection.ts';

interface BusSubscription {
  subject: string;
  handler: BusHandler;
  /** A queue group: each message goes to one member (one replica) instead of all. */
  queue?: string | undefined;
  /** Told when messages may have been missed (the connection dropped or came back). */
  onGap?: (() => void) | undefined;
  /** The live NATS subscription and the connection it belongs to. */
  active?: { connection: NatsConnection; subscription: Subscription };
  disposed: boolean;
}

export class NatsMessageBus implements MessageBus, Disposable {
  readonly #connector: NatsConnector;
  readonly #logger: NatsLogger;
  readonly #subscriptions = new Set<BusSubscription>();
  readonly #onConnection: Disposable;
  readonly #onState: Disposable;

  constructor(connector: NatsConnector, logger = silentLogger) {
    this.#connector = connector;
    this.#logger = logger;
    // A new connection object (first connect, or a replaced one) needs every subscription opened on it.
    this.#onConnection = connector.onConnection((connection) => {
      for (const subscription of this.#subscriptions) this.#open(subscription, connection);
    });
    // Core NATS does not buffer for a disconnected subscriber: whatever was published meanwhile is gone.
    this.#onState = connector.onStateChange(() => {
      for (const subscription of this.#subscriptions) {
        try {
          subscription.onGap?.();
        } catch (error) {
          this.#logger.error({ err: error, subject: subscription.subject }, 'a bus gap handler failed');
        }
      }
    });
  }

  async publish(subject: string, payload: string): Promise<void> {
    const traced = outgoingCall('nats', 'nats publish', 'publish', subject);
    try {
      this.#connector.requireConnected().publish(subject, payload);
    } catch (error) {
      traced?.end(undefined, error);
      throw error;
    }
    traced?.end();
  }

  subscribe(
    subject: string,
    handler: BusHandler,
    options: { queue?: string; onGap?: () => void } = {},
  ): Disposable {
    const subscription: BusSubscription = {
      subject,
      handler,
      disposed: false,
      queue: options.queue,
      onGap: options.onGap,
    };
    this.#subscriptions.add(subscription);
    const connection = this.#connector.current;
    if (connection) this.#open(subscription, connection);
    return {
      [Symbol.dispose]: () => {
        if (subscription.disposed) return;
        subscription.disposed = true;
        this.#subscriptions.delete(subscription);
        try {
          subscription.active?.subscription.unsubscribe();
        } catch (error) {
          this.#logger.debug({ err: error, subject }, 'unsubscribing from NATS failed');
        }
        subscription.active = undefined;
      },
    };
  }

  /**
   * First answer from any subscriber; null when nobody listens or nobody answers in time. While NATS is
   * away it rejects with NatsUnavailableError: "nobody answered" would be a lie then (a waiter on another
   * replica is unreachable, not absent).
   */
  async request(subject: string, payload: string, timeoutMs: number): Promise<string | null> {
    const traced = outgoingCall('nats', 'nats request', 'request', subject);
    try {
      const answer = await this.#request(subject, payload, timeoutMs);
      traced?.end();
      return answer;
    } catch (error) {
      traced?.end(undefined, error);
      throw error;
    }
  }

  async #request(subject: string, payload: string, timeoutMs: number): Promise<string | null> {
    const connection = this.#connector.requireConnected();
    try {
      const answer = await connection.request(subject, payload, { timeout: timeoutMs });
      return answer.string();
    } catch (error) {
      const unanswered =
        error instanceof errors.TimeoutError ||
        error instanceof errors.NoRespondersError ||
        (error instanceof errors.RequestError && (error.isNoResponders() || isTimeout(error)));
      if (!unanswered && isUnavailability(error)) throw this.#connector.unavailable('bus request', error);
      // The connection dropped while waiting: the answer may have been lost with it.
      if (!this.#connector.connected) throw this.#connector.unavailable('bus request', error);
      this.#logger.debug({ err: error, subject }, 'NATS request got no answer');
      return null;
    }
  }

  [Symbol.dispose](): void {
    this.#onConnection[Symbol.dispose]();
    this.#onState[Symbol.dispose]();
  }

  #open(subscription: BusSubscription, connection: NatsConnection): void {
    if (subscription.disposed || subscription.active?.connection === connection) return;
    try {
      const nats = connection.subscribe(subscription.subject, {
        ...(subscription.queue ? { queue: subscription.queue } : {}),
        callback: (error, message) => {
          if (error) {
            this.#logger.warn({ err: error, subject: subscription.subject }, 'NATS subscription failed');
            return;
          }
          void this.#deliver(subscription, message);
        },
      });
      subscription.active = { connection, subscription: nats };
    } catch (error) {
      this.#logger.error({ err: error, subject: subscription.subject }, 'subscribing on NATS failed');
    }
  }

  async #deliver(subscription: BusSubscription, message: Msg): Promise<void> {
    try {
      const answer = await subscription.handler(message.subject, message.string());
      // A handler's answer goes back only to a request (a message with a reply subject).
      if (answer !== undefined && message.reply) message.respond(answer);
    } catch (error) {
      this.#logger.error({ err: error, subject: message.subject }, 'a bus handler failed');
    }
  }
}

function isTimeout(error: Error): boolean {
  return error.cause instanceof errors.TimeoutError;
}
