/**
 * @module core/subscriptions/subscriptionService
 * Firestore subscriptions: a session asks to watch a collection for one of its SSE clients; every document
 * change becomes a `subscription/event` frame routed like every other frame (the client's frame log, so
 * any replica delivers it and a reconnect replays it).
 *
 * Checks, in the reference's order: scope, path rules (400), target client (403 foreign, 409 not
 * connected), Firestore configured (503); then the limits (429 per client, 503 in total) and, when
 * configured, the ownership rule (403; 503 when the owner document cannot be read — it fails closed).
 *
 * A listener stops at once on DELETE (on whichever replica holds it, asked over the bus), when its client
 * has been gone longer than the resume window, when it fails for good, and at shutdown. Listener faults
 * reach the client as `error` frames (code -32010) naming the subscription.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  BackendUnavailableError,
  type ClientPresence,
  type DocumentChange,
  type DocumentStore,
  type MessageBus,
} from '../../adapters/ports.ts';
import type {
  FirestoreSubscribeResponse,
  RoutedFrame,
  SubscriptionErrorReason,
} from '../../contract/index.ts';
import { GatewayError } from '../errors.ts';
import type { ClientRegistry } from '../push/clientRegistry.ts';
import type { ConnectionHub } from '../push/connectionHub.ts';
import type { FrameRouter } from '../push/frameRouter.ts';
import type { Session } from '../sessions/sessionResolver.ts';
import type { OwnershipRule } from './ownershipRule.ts';
import { subscriptionErrorFrame, subscriptionEventFrame } from './subscriptionFrames.ts';
import type { SubscriptionPaths } from './subscriptionPaths.ts';

/** Bus subject on which a DELETE asks the replica that holds a subscription to stop it. */
export const SUBSCRIPTION_DELETE_SUBJECT = 'gateway.subscriptions.delete';
const SUBJECT_TOKEN = /^[A-Za-z0-9_-]{1,128}$/;
const NO_CLIENT = 'No active SSE client is connected for this session';
const NOT_CONFIGURED = 'Firestore listener is not configured; set GATEWAY_FIRESTORE_CREDENTIALS_PATH';

export interface SubscriptionServiceOptions {
  /** Undefined when Firestore is not configured: subscribing answers 503. */
  store: DocumentStore | undefined;
  paths: SubscriptionPaths;
  /** Undefined: paths are shape-checked only. */
  ownership: OwnershipRule | undefined;
  router: FrameRouter;
  clients: ClientRegistry;
  presence: ClientPresence;
  hub: ConnectionHub;
  bus: MessageBus;
  limits: { perClient: number; total: number };
  /** How long a client may be disconnected before its subscriptions stop. */
  resumeWindowMs: number;
  /** How long a DELETE waits for another replica to answer. */
  remoteDeleteTimeoutMs?: number;
  /** Each listener fault (for metrics). */
  onListenerFault?: (reason: SubscriptionErrorReason, message: string) => void;
  /** A frame could not be appended to the client's log. */
  onDeliveryFailed?: (error: unknown) => void;
  /** A subscription was refused by a limit. */
  onLimited?: (limit: 'firestore_subscriptions_per_client' | 'firestore_subscriptions') => void;
  /** The number of subscriptions on this replica changed. */
  onSize?: (size: number) => void;
}

export interface SubscribeRequest {
  session: Session;
  path: string;
  scope: string;
  clientId: string | undefined;
}

interface Subscription {
  readonly id: string;
  readonly clientId: string;
  readonly owner: Buffer;
  readonly path: string;
  listener: Disposable | undefined;
  /** Frames of this subscription are appended one after another, in order. */
  delivery: Promise<void>;
  stopped: boolean;
}

function ownerDigest(sessionToken: string): Buffer {
  return createHash('sha256').update(sessionToken).digest();
}

function sameOwner(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export class SubscriptionService {
  readonly #options: SubscriptionServiceOptions;
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #byClient = new Map<string, Set<Subscription>>();
  readonly #idleChecks = new Map<string, NodeJS.Timeout>();
  readonly #resources: Disposable[] = [];
  readonly #sweep: NodeJS.Timeout;
  #closed = false;

  constructor(options: SubscriptionServiceOptions) {
    this.#options = options;
    this.#resources.push(
      options.hub.onClientActivity({
        clientIdle: (clientId) => this.#scheduleIdleCheck(clientId),
        clientActive: (clientId) => this.#cancelIdleCheck(clientId),
      }),
      options.bus.subscribe(`${SUBSCRIPTION_DELETE_SUBJECT}.*`, (subject, payload) =>
        this.#answerRemoteDelete(subject, payload),
      ),
    );
    // Safety net for clients that left through another replica (or a replica that died): their
    // subscriptions here get the same idle check.
    this.#sweep = setInterval(
      () => void this.#sweepIdleClients(),
      Math.min(30_000, Math.max(1_000, options.resumeWindowMs)),
    );
    this.#sweep.unref();
  }

  /** True when Firestore is configured (the init frame's `capabilities.subscriptions`). */
  get enabled(): boolean {
    return this.#options.store !== undefined;
  }

  get size(): number {
    return this.#subscriptions.size;
  }

  async subscribe(request: SubscribeRequest): Promise<FirestoreSubscribeResponse> {
    if (request.scope !== 'owner') throw new GatewayError('bad_request', 'Only scope=owner is supported');
    const matched = this.#options.paths.match(request.path);
    const clientId = await this.#targetClient(request.session, request.clientId);
    const store = this.#options.store;
    if (!store) throw new GatewayError('unavailable', NOT_CONFIGURED);
    if (this.#closed) throw new GatewayError('unavailable', 'The gateway is shutting down');
    this.#checkLimits(clientId);

    const subscription: Subscription = {
      id: randomUUID(),
      clientId,
      owner: ownerDigest(request.session.token),
      path: matched.path,
      listener: undefined,
      delivery: Promise.resolve(),
      stopped: false,
    };
    // Registered before the ownership read, so concurrent requests count against the limits.
    this.#register(subscription);
    try {
      const ownership = this.#options.ownership;
      if (ownership) {
        let document: Record<string, unknown> | null;
        try {
          document = await store.read(ownership.documentPath(matched));
        } catch (error) {
          throw new GatewayError(
            'unavailable',
            'Cannot verify the subscription owner: Firestore is unavailable',
            {
              cause: error,
            },
          );
        }
        if (!ownership.owns(document, request.session.user))
          throw new GatewayError('forbidden', 'The caller does not own this subscription path');
      }
      if (subscription.stopped) {
        throw this.#closed
          ? new GatewayError('unavailable', 'The gateway is shutting down')
          : new GatewayError('conflict', NO_CLIENT);
      }
      subscription.listener = store.watch(matched.path, {
        changes: (changes) => this.#changes(subscription, changes),
        fault: (fault) => this.#fault(subscription, fault.message, fault.fatal),
      });
    } catch (error) {
      this.#stop(subscription);
      throw error;
    }
    return { subscription_id: subscription.id, client_id: clientId };
  }

  /** Stops a subscription of the caller's session at once, on whichever replica holds it. */
  async unsubscribe(request: { session: Session; subscriptionId: string }): Promise<void> {
    const owner = ownerDigest(request.session.token);
    const local = this.#subscriptions.get(request.subscriptionId);
    if (local) {
      if (!sameOwner(local.owner, owner))
        throw new GatewayError('forbidden', 'Subscription belongs to another session');
      this.#stop(local);
      return;
    }
    if (!SUBJECT_TOKEN.test(request.subscriptionId))
      throw new GatewayError('not_found', 'Subscription not found');
    const answer = await this.#options.bus
      .request(
        `${SUBSCRIPTION_DELETE_SUBJECT}.${request.subscriptionId}`,
        owner.toString('hex'),
        this.#options.remoteDeleteTimeoutMs ?? 1000,
      )
      // No answer means no replica has it; a bus that is away is an outage (503), not "not found".
      .catch((error: unknown) => {
        if (error instanceof BackendUnavailableError) throw error;
        return null;
      });
    if (answer === 'forbidden')
      throw new GatewayError('forbidden', 'Subscription belongs to another session');
    if (answer !== 'deleted') throw new GatewayError('not_found', 'Subscription not found');
  }

  /** Stops every listener (each client gets an error frame saying so), then closes the store. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#sweep);
    for (const timer of this.#idleChecks.values()) clearTimeout(timer);
    this.#idleChecks.clear();
    for (const resource of this.#resources) resource[Symbol.dispose]();
    const endings = [...this.#subscriptions.values()].map((subscription) =>
      this.#end(subscription, 'shutdown', 'Subscription ended: the gateway is shutting down'),
    );
    await Promise.race([Promise.all(endings), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    await this.#options.store?.close();
  }

  async #targetClient(session: Session, requested: string | undefined): Promise<string> {
    if (requested !== undefined) {
      const claim = await this.#options.clients.claim(requested, session.token);
      if (!claim.ok) throw new GatewayError('forbidden', 'client_id belongs to another session');
      if (!(await this.#options.presence.isConnected(requested)))
        throw new GatewayError('conflict', NO_CLIENT);
      return requested;
    }
    const [connected] = this.#options.hub.clientsOf(session.token);
    if (connected === undefined) throw new GatewayError('conflict', NO_CLIENT);
    return connected;
  }

  #checkLimits(clientId: string): void {
    const { perClient, total } = this.#options.limits;
    if ((this.#byClient.get(clientId)?.size ?? 0) >= perClient) {
      this.#options.onLimited?.('firestore_subscriptions_per_client');
      throw new GatewayError(
        'too_many_requests',
        `Too many Firestore subscriptions for this client (at most ${perClient}); delete one first`,
      );
    }
    if (this.#subscriptions.size >= total) {
      this.#options.onLimited?.('firestore_subscriptions');
      throw new GatewayError(
        'unavailable',
        `Too many Firestore subscriptions on this gateway (at most ${total})`,
      );
    }
  }

  #register(subscription: Subscription): void {
    this.#subscriptions.set(subscription.id, subscription);
    let forClient = this.#byClient.get(subscription.clientId);
    if (!forClient) {
      forClient = new Set();
      this.#byClient.set(subscription.clientId, forClient);
    }
    forClient.add(subscription);
    this.#options.onSize?.(this.#subscriptions.size);
  }

  /** Stops the listener at once and forgets the subscription. Idempotent. */
  #stop(subscription: Subscription): void {
    if (subscription.stopped) return;
    subscription.stopped = true;
    try {
      subscription.listener?.[Symbol.dispose]();
    } catch {
      // the listener is gone either way
    }
    subscription.listener = undefined;
    this.#subscriptions.delete(subscription.id);
    this.#options.onSize?.(this.#subscriptions.size);
    const forClient = this.#byClient.get(subscription.clientId);
    forClient?.delete(subscription);
    if (forClient?.size === 0) {
      this.#byClient.delete(subscription.clientId);
      this.#cancelIdleCheck(subscription.clientId);
    }
  }

  /** Stops the subscription and tells its client why, with a final error frame. */
  #end(subscription: Subscription, reason: SubscriptionErrorReason, message: string): Promise<void> {
    this.#stop(subscription);
    return this.#send(
      subscription,
      subscriptionErrorFrame(message, { reason, retrying: false, subscription_id: subscription.id }),
      true,
    );
  }

  #send(subscription: Subscription, frame: RoutedFrame, evenIfStopped = false): Promise<void> {
    subscription.delivery = subscription.delivery
      .then(async () => {
        if (subscription.stopped && !evenIfStopped) return;
        await this.#options.router.send(subscription.clientId, frame);
      })
      .catch((error) => this.#options.onDeliveryFailed?.(error));
    return subscription.delivery;
  }

  #changes(subscription: Subscription, changes: DocumentChange[]): void {
    if (subscription.stopped) return;
    for (const change of changes)
      void this.#send(subscription, subscriptionEventFrame(subscription.id, change));
  }

  #fault(subscription: Subscription, detail: string, fatal: boolean): void {
    if (subscription.stopped) return;
    const reason: SubscriptionErrorReason = fatal ? 'listener_failed' : 'backend_unreachable';
    this.#options.onListenerFault?.(reason, detail);
    if (fatal) {
      void this.#end(subscription, reason, `Subscription ended: the Firestore listener failed (${detail})`);
      return;
    }
    void this.#send(
      subscription,
      subscriptionErrorFrame(`Firestore is unreachable; the listener keeps retrying (${detail})`, {
        reason,
        retrying: true,
        subscription_id: subscription.id,
      }),
    );
  }

  #scheduleIdleCheck(clientId: string): void {
    if (this.#closed || !this.#byClient.has(clientId) || this.#idleChecks.has(clientId)) return;
    const timer = setTimeout(() => void this.#checkIdle(clientId), this.#options.resumeWindowMs);
    timer.unref();
    this.#idleChecks.set(clientId, timer);
  }

  #cancelIdleCheck(clientId: string): void {
    const timer = this.#idleChecks.get(clientId);
    if (timer) clearTimeout(timer);
    this.#idleChecks.delete(clientId);
  }

  /** The resume window has passed since the client was last seen: stop its subscriptions unless it is back. */
  async #checkIdle(clientId: string): Promise<void> {
    this.#idleChecks.delete(clientId);
    const subscriptions = this.#byClient.get(clientId);
    if (!subscriptions || this.#closed) return;
    if (await this.#options.presence.isConnected(clientId).catch(() => true)) return;
    const seconds = Math.round(this.#options.resumeWindowMs / 100) / 10;
    for (const subscription of [...subscriptions]) {
      void this.#end(
        subscription,
        'client_disconnected',
        `Subscription ended: the SSE client was disconnected for more than ${seconds} s`,
      );
    }
  }

  async #sweepIdleClients(): Promise<void> {
    for (const clientId of [...this.#byClient.keys()]) {
      if (this.#idleChecks.has(clientId)) continue;
      if (!(await this.#options.presence.isConnected(clientId).catch(() => true)))
        this.#scheduleIdleCheck(clientId);
    }
  }

  /** Another replica got a DELETE for a subscription it does not hold: answer only if it is here. */
  #answerRemoteDelete(subject: string, ownerHex: string): string | undefined {
    const id = subject.slice(SUBSCRIPTION_DELETE_SUBJECT.length + 1);
    const subscription = this.#subscriptions.get(id);
    if (!subscription) return undefined;
    if (!sameOwner(subscription.owner, Buffer.from(ownerHex, 'hex'))) return 'forbidden';
    this.#stop(subscription);
    return 'deleted';
  }
}
