/**
 * @module subscriptions/firestoreSubscription
 * A live map of the documents under one Firestore path, folded from `subscription/event` frames the
 * way the travel SPA did by hand: `removed` deletes, `added` and `modified` upsert, keyed by `doc_id`.
 */
import type { SubscriptionEventParams } from '../contract.ts';
import { Emitter } from '../events/emitter.ts';

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
