/**
 * @module adapters/memory/memoryPresence
 * Connected clients of this process (the embedded mode has one process).
 */
import type { ClientPresence } from '../ports.ts';

/** One attached stream (a field and a method, no closure: a replica holds one per open stream). */
class Attachment implements AsyncDisposable {
  #presence: MemoryPresence | undefined;

  constructor(
    presence: MemoryPresence,
    readonly clientId: string,
  ) {
    this.#presence = presence;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const presence = this.#presence;
    if (!presence) return;
    this.#presence = undefined;
    presence.detached(this.clientId);
  }
}

export class MemoryPresence implements ClientPresence {
  readonly #connections = new Map<string, number>();

  async attach(clientId: string): Promise<AsyncDisposable> {
    this.#connections.set(clientId, (this.#connections.get(clientId) ?? 0) + 1);
    return new Attachment(this, clientId);
  }

  /** @internal */
  detached(clientId: string): void {
    const left = (this.#connections.get(clientId) ?? 1) - 1;
    if (left <= 0) this.#connections.delete(clientId);
    else this.#connections.set(clientId, left);
  }

  async isConnected(clientId: string): Promise<boolean> {
    return this.#connections.has(clientId);
  }
}
