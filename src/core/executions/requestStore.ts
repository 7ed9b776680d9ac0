/**
 * @module core/executions/requestStore
 * Pending requests (`requests` bucket, keyed by request id, reference value shape) plus an index
 * `<client_id>.<request_id>` so a client's requests are listed without scanning the bucket.
 */
import type { KeyValueBucket } from '../../adapters/ports.ts';
import { PendingRequest } from '../../contract/index.ts';
import { parseJsonLossless } from '../../lib/losslessJson.ts';

export class RequestStore {
  readonly #requests: KeyValueBucket;
  readonly #byClient: KeyValueBucket;

  constructor(requests: KeyValueBucket, byClient: KeyValueBucket) {
    this.#requests = requests;
    this.#byClient = byClient;
  }

  async save(requestId: string, request: PendingRequest): Promise<void> {
    await this.#requests.put(requestId, JSON.stringify(request));
    await this.#byClient.put(`${request.client_id}.${requestId}`, '');
  }

  async get(requestId: string): Promise<PendingRequest | undefined> {
    const raw = await this.#requests.get(requestId);
    if (!raw) return undefined;
    try {
      const parsed = PendingRequest.safeParse(parseJsonLossless(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  async remove(requestId: string, clientId: string): Promise<void> {
    await this.#requests.delete(requestId);
    await this.#byClient.delete(`${clientId}.${requestId}`);
  }

  /** The client's requests that still await a result, oldest first. */
  async forClient(clientId: string): Promise<{ requestId: string; request: PendingRequest }[]> {
    const keys = await this.#byClient.keys(`${clientId}.`);
    const found = await Promise.all(
      keys.map(async (key) => {
        const requestId = key.slice(clientId.length + 1);
        const request = await this.get(requestId);
        return request ? { requestId, request } : undefined;
      }),
    );
    return found
      .filter((entry) => entry !== undefined)
      .sort((a, b) => a.request.created_at - b.request.created_at);
  }
}
