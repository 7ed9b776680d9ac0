/**
 * @module events/emitter
 * A typed listener list: `on` returns the function that removes the listener, so UI code can clean up
 * without keeping references. Works the same in browsers and Node (no EventTarget subclassing).
 */

export type Listener<T> = (payload: T) => void;

export class Emitter<Events extends Record<string, unknown>> {
  readonly #listeners = new Map<keyof Events, Set<Listener<never>>>();

  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void {
    let set = this.#listeners.get(name);
    if (!set) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    set.add(listener as Listener<never>);
    return () => {
      set.delete(listener as Listener<never>);
    };
  }

  emit<K extends keyof Events>(name: K, payload: Events[K]): void {
    const set = this.#listeners.get(name);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<Events[K]>)(payload);
      } catch (error) {
        // As EventTarget does: one listener's bug must not starve the others or break the stream, but it
        // must not vanish either. Rethrown outside this call stack, it reaches window.onerror / the process.
        setTimeout(() => {
          throw error;
        });
      }
    }
  }

  listenerCount(name: keyof Events): number {
    return this.#listeners.get(name)?.size ?? 0;
  }

  clear(): void {
    this.#listeners.clear();
  }
}
