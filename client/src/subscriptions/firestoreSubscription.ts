/**
 * @module subscriptions/firestoreSubscription
 * A live map of the documents under one Firestore path, folded from `subscription/event` frames the
 * way the travel SPA did by hand: `removed` deletes, `added` and `modified` upsert, keyed by `doc_id`.
 * Listener faults (`error` frames with code -32010 naming this subscription) arrive on `onError`; one
 * with `retrying: false` means the gateway ended the subscription.
 */
import type { SubscriptionErrorData, SubscriptionEventParams } from '../contract.ts';
import type { ServerFrameError } from '../errors.ts';
import { Emitter } from '../events/emitter.ts';

export interface SubscriptionFault {
  error: ServerFrameError;
  reason: SubscriptionErrorData['reason'];
  /** True while the gateway's listener keeps trying (it catches up by itself); false: it has ended. */
  retrying: boolean;
}

export interface DocumentChange {
  op: SubscriptionEventParams['op'];
  docId: string;
  data: unknown;
}

export class FirestoreSubscription {
  readonly subscriptionId: string;
  readonly path: string;
  readonly #documents = new Map<string, unknown>();
  readonly #emitter = new Emitter<{
    change: { change: DocumentChange; documents: ReadonlyMap<string, unknown> };
    fault: SubscriptionFault;
  }>();
  readonly #unsubscribe: () => Promise<void>;
  #closed = false;

  constructor(subscriptionId: string, path: string, unsubscribe: () => Promise<void>) {
    this.subscriptionId = subscriptionId;
    this.path = path;
    this.#unsubscribe = unsubscribe;
  }

  /** Document id → document data, as of the last frame. */
  get documents(): ReadonlyMap<string, unknown> {
    return this.#documents;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Called after every change with the change and the whole map. Returns the remover. */
  onChange(listener: (change: DocumentChange, documents: ReadonlyMap<string, unknown>) => void): () => void {
    return this.#emitter.on('change', ({ change, documents }) => listener(change, documents));
  }

  /** Listener faults reported by the gateway for this subscription. Returns the remover. */
  onError(listener: (fault: SubscriptionFault) => void): () => void {
    return this.#emitter.on('fault', listener);
  }

  /** Reports a fault (the client routes error frames here by `subscription_id`). */
  fail(fault: SubscriptionFault): void {
    if (this.#closed) return;
    this.#emitter.emit('fault', fault);
    // The gateway has stopped the listener: stop folding; there is nothing to DELETE any more.
    if (!fault.retrying) {
      this.#closed = true;
      this.#emitter.clear();
    }
  }

  /** Folds one frame in (the client routes frames here by `subscription_id`). */
  apply(params: SubscriptionEventParams): void {
    if (this.#closed || params.subscription_id !== this.subscriptionId) return;
    if (params.op === 'removed') this.#documents.delete(params.doc_id);
    else this.#documents.set(params.doc_id, params.data);
    this.#emitter.emit('change', {
      change: { op: params.op, docId: params.doc_id, data: params.data },
      documents: this.#documents,
    });
  }

  /** Stops the listener on the gateway (`DELETE /api/subscriptions/{id}`) and stops folding frames. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#emitter.clear();
    await this.#unsubscribe();
  }
}
