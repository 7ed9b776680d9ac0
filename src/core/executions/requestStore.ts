/**
 * @module core/executions/requestStore
 * Pending requests (`requests` bucket, keyed by request id, reference value shape) plus two indexes,
 * `<client_id>.<request_id>` and `<session key>.<request_id>`, so a client's requests are listed and a
 * session's are counted without scanning the bucket.
 */
import type { KeyValueBucket } from '../../adapters/ports.ts';
import { PendingRequest } from '../../contract/index.ts';
import { parseJsonLossless } from '../../lib/losslessJson.ts';
import { sessionKey } from '../sessions/sessionKey.ts';

export class RequestStore {
  readonly #requests: KeyValueBucket;
  readonly #byClient: KeyValueBucket;
  readonly #bySession: KeyValueBucket;

  constructor(requests: KeyValueBucket, byClient: KeyValueBucket, bySession: KeyValueBucket) {
    this.#requests = requests;
    this.#byClient = byClient;
    this.#bySession = bySession;
  }

  async save(requestId: string, request: PendingRequest): Promise<void> {
    await this.#requests.put(requestId, JSON.stringify(request));
    await this.#byClient.put(`${request.client_id}.${requestId}`, '');
    await this.#bySession.put(`${sessionKey(request.session_token)}.${requestId}`, '');
  }

  /** How many requests of this session still await their result. */
  async countForSession(sessionToken: string): Promise<number> {
    return (await this.#bySession.keys(`${sessionKey(sessionToken)}.`)).length;
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

  async remove(requestId: string, request: PendingRequest): Promise<void> {
    await this.#requests.delete(requestId);
    await this.#byClient.delete(`${request.client_id}.${requestId}`);
    await this.#bySession.delete(`${sessionKey(request.session_token)}.${requestId}`);
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
