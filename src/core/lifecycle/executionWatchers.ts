/**
 * @module core/lifecycle/executionWatchers
 * Which clients want lifecycle frames of an execution: those that started it through the gateway with a
 * client id, and those that subscribed to it. Two key indexes, so neither lookup scans a bucket:
 * `<execution>.<client>` (routing an event) and `<client>.<execution>` (a client's subscription count).
 */
import type { KeyValueBucket } from '../../adapters/ports.ts';
import { GatewayError } from '../errors.ts';

/** Execution ids become one K/V key token; snowflakes and `exec-1` style ids pass unchanged. */
export function keyToken(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_');
}

export class ExecutionWatchers {
  readonly #byExecution: KeyValueBucket;
  readonly #byClient: KeyValueBucket;
  readonly #maxPerClient: number;

  constructor(byExecution: KeyValueBucket, byClient: KeyValueBucket, maxPerClient: number) {
    this.#byExecution = byExecution;
    this.#byClient = byClient;
    this.#maxPerClient = maxPerClient;
  }

  /** Adds a watcher; an explicit subscription counts against the client's limit. */
  async watch(executionId: string, clientId: string, explicit: boolean): Promise<void> {
    const execution = keyToken(executionId);
    if (explicit) {
      const existing = await this.#byClient.keys(`${clientId}.`);
      if (!existing.includes(`${clientId}.${execution}`) && existing.length >= this.#maxPerClient) {
        throw new GatewayError(
          'too_many_requests',
          `A client may watch at most ${this.#maxPerClient} executions; unsubscribe first`,
        );
      }
      await this.#byClient.put(`${clientId}.${execution}`, executionId);
    }
    await this.#byExecution.put(`${execution}.${clientId}`, clientId);
  }

  async unwatch(executionId: string, clientId: string): Promise<boolean> {
    const execution = keyToken(executionId);
    const known = (await this.#byExecution.get(`${execution}.${clientId}`)) !== null;
    await this.#byExecution.delete(`${execution}.${clientId}`);
    await this.#byClient.delete(`${clientId}.${execution}`);
    return known;
  }

  async clientsOf(executionId: string): Promise<string[]> {
    const prefix = `${keyToken(executionId)}.`;
    return (await this.#byExecution.keys(prefix)).map((key) => key.slice(prefix.length));
  }
}
