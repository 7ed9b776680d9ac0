/**
 * @module adapters/memory/memoryMessageBus
 * In-process publish/subscribe with NATS subject matching, for the embedded mode.
 */
import type { BusHandler, MessageBus } from '../ports.ts';
import { subjectMatches } from '../subjects.ts';

export class MemoryMessageBus implements MessageBus {
  readonly #subscriptions = new Set<{ pattern: string; handler: BusHandler }>();

  async publish(subject: string, payload: string): Promise<void> {
    for (const { pattern, handler } of [...this.#subscriptions]) {
      if (!subjectMatches(pattern, subject)) continue;
      // A failing handler must not become an uncaught exception: the bus outlives its subscribers' bugs.
      queueMicrotask(() => {
        try {
          Promise.resolve(handler(subject, payload)).catch(() => {});
        } catch {
          // ignored, as above
        }
      });
    }
  }

  subscribe(subject: string, handler: BusHandler): Disposable {
    const subscription = { pattern: subject, handler };
    this.#subscriptions.add(subscription);
    return { [Symbol.dispose]: () => this.#subscriptions.delete(subscription) };
  }

  async request(subject: string, payload: string, _timeoutMs: number): Promise<string | null> {
    for (const { pattern, handler } of [...this.#subscriptions]) {
      if (!subjectMatches(pattern, subject)) continue;
      const answer = await Promise.resolve()
        .then(() => handler(subject, payload))
        .catch(() => undefined);
      if (answer !== undefined) return answer;
    }
    return null;
  }
}
