/**
 * @module core/push/clientRegistry
 * Who owns an SSE client id. The first session to use a `client_id` owns it for the retention window;
 * another session can neither attach to it nor route results to it. Owners are stored as a hash of the
 * session token, never the token itself. Also keeps where a client's delivery stopped, so a reconnect
 * that names only its `client_id` resumes there.
 */
import { timingSafeEqual } from 'node:crypto';
import type { KeyValueBucket } from '../../adapters/ports.ts';
import { ClientRecord } from '../../contract/index.ts';
import { sessionKey } from '../sessions/sessionKey.ts';

export type ClaimResult = { ok: true; deliveredSeq: number } | { ok: false };

function sameOwner(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class ClientRegistry {
  readonly #bucket: KeyValueBucket;

  constructor(bucket: KeyValueBucket) {
    this.#bucket = bucket;
  }

  /** Claims `clientId` for the session (or confirms it is already its own) and refreshes its lifetime. */
  async claim(clientId: string, sessionToken: string): Promise<ClaimResult> {
    const owner = sessionKey(sessionToken);
    const fresh: ClientRecord = { owner, delivered_seq: 0 };
    if (await this.#bucket.create(clientId, JSON.stringify(fresh))) return { ok: true, deliveredSeq: 0 };
    const existing = await this.#read(clientId);
    if (!existing) {
      await this.#bucket.put(clientId, JSON.stringify(fresh));
      return { ok: true, deliveredSeq: 0 };
    }
    if (!sameOwner(existing.owner, owner)) return { ok: false };
    await this.#bucket.put(clientId, JSON.stringify(existing));
    return { ok: true, deliveredSeq: existing.delivered_seq };
  }

  /** Records the last frame written to the client (called when a stream closes). */
  async recordDelivered(clientId: string, seq: number): Promise<void> {
    const existing = await this.#read(clientId);
    if (!existing || existing.delivered_seq >= seq) return;
    await this.#bucket.put(clientId, JSON.stringify({ ...existing, delivered_seq: seq }));
  }

  async #read(clientId: string): Promise<ClientRecord | undefined> {
    const raw = await this.#bucket.get(clientId);
    if (!raw) return undefined;
    try {
      const parsed = ClientRecord.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}
