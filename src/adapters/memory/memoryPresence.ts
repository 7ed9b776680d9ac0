/**
 * @module adapters/memory/memoryPresence
 * Connected clients of this process (the embedded mode has one process).
 */
import type { ClientPresence } from '../ports.ts';

export class MemoryPresence implements ClientPresence {
  readonly #connections = new Map<string, number>();

  async attach(clientId: string): Promise<AsyncDisposable> {
    this.#connections.set(clientId, (this.#connections.get(clientId) ?? 0) + 1);
    let released = false;
    return {
      [Symbol.asyncDispose]: async () => {
        if (released) return;
        released = true;
        const left = (this.#connections.get(clientId) ?? 1) - 1;
        if (left <= 0) this.#connections.delete(clientId);
        else this.#connections.set(clientId, left);
      },
    };
  }

  async isConnected(clientId: string): Promise<boolean> {
    return this.#connections.has(clientId);
  }
}
