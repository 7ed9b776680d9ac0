/**
 * @module subscriptions/executionSubscription
 * Lifecycle frames (`playbook/state`) of one execution the client did not start through the gateway
 * (e.g. started by `/noetl/execute` or by another tab), after `subscribeToExecution`.
 */
import type { PlaybookStateParams } from '../contract.ts';
import { Emitter } from '../events/emitter.ts';

export interface ExecutionSubscriptionParts {
  executionId: string;
  clientId: string;
  /** Registers the frame listener; returns its remover. */
  listen: (onState: (state: PlaybookStateParams) => void) => () => void;
  waitForEnd: (options?: { timeoutMs?: number; signal?: AbortSignal }) => Promise<PlaybookStateParams>;
  unsubscribe: () => Promise<void>;
}

export class ExecutionSubscription {
  readonly executionId: string;
  /** The SSE client the frames go to. */
  readonly clientId: string;
  readonly #emitter = new Emitter<{ state: PlaybookStateParams }>();
  readonly #parts: ExecutionSubscriptionParts;
  readonly #stopListening: () => void;
  #closed = false;

  constructor(parts: ExecutionSubscriptionParts) {
    this.executionId = parts.executionId;
    this.clientId = parts.clientId;
    this.#parts = parts;
    this.#stopListening = parts.listen((state) => {
      if (state.execution_id === this.executionId) this.#emitter.emit('state', state);
    });
  }

  /** Every `playbook/state` frame of this execution (step.exit, playbook.completed, …). */
  onState(listener: (state: PlaybookStateParams) => void): () => void {
    return this.#emitter.on('state', listener);
  }

  /** Resolves on `playbook.completed`, rejects with `PlaybookFailedError` on `playbook.failed`. */
  done(options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<PlaybookStateParams> {
    return this.#parts.waitForEnd(options);
  }

  /** Stops the frames on the gateway (`POST /api/executions/unsubscribe`) and here. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopListening();
    this.#emitter.clear();
    await this.#parts.unsubscribe();
  }
}
