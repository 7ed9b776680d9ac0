/**
 * @module core/push/streamSlots
 * Admission of `/events` streams: at most `total` streams on this replica and at most `perSession` streams
 * of one session on the whole cluster.
 *
 * The replica's own counts are checked and taken in the same synchronous step as the call (before any
 * await), so concurrent opens on one replica never pass either limit, and opens past the limit on this
 * replica are refused without asking anyone. The session's slot across replicas is then taken from the
 * shared `SlotLeases` (NATS K/V in the distributed mode: create-if-absent per slot, leases that lapse when
 * a replica stops). Sessions are named there by their hash, never the token. With one replica (the
 * embedded mode) there are no shared slots: the replica's own count is the limit.
 *
 * Why not the pending-request counter (core/executions/pendingCounter): it lets each replica write its
 * own count without compare-and-set, so opens racing on different replicas may pass the limit by the
 * number racing, and its counts expire by request age rather than with the replica holding them.
 */
import type { SlotLease, SlotLeases } from '../../adapters/ports.ts';
import { sessionKey } from '../sessions/sessionKey.ts';

export interface StreamSlotLimits {
  /** Streams of one session, across every replica. */
  perSession: number;
  /** Streams on this replica. */
  total: number;
}

/** A stream's place; release it exactly once when the stream ends (later calls do nothing). */
export interface StreamSlot {
  release(): void;
}

export type Admission =
  | { admitted: true; slot: StreamSlot }
  | { admitted: false; limit: 'sse_total' | 'sse_per_session' };

/** A session with streams on this replica: its hash (the shared slots' group) and their number. */
interface SessionStreams {
  readonly token: string;
  readonly group: string;
  count: number;
}

/** One admitted stream (fields only: a replica holds one per open stream). */
class Slot implements StreamSlot {
  /** Undefined once released. */
  #session: SessionStreams | undefined;

  constructor(
    readonly owner: StreamSlots,
    session: SessionStreams,
    readonly lease: SlotLease | undefined,
  ) {
    this.#session = session;
  }

  release(): void {
    const session = this.#session;
    if (!session) return;
    this.#session = undefined;
    this.owner.forget(session);
    if (this.lease) void this.lease.release();
  }
}

export class StreamSlots {
  readonly #leases: SlotLeases | undefined;
  readonly #limits: StreamSlotLimits;
  /** Session token → its streams on this replica (admitted or being admitted). */
  readonly #bySession = new Map<string, SessionStreams>();
  #streams = 0;

  /** `leases`: the slots shared with other replicas; none with one replica. */
  constructor(leases: SlotLeases | undefined, limits: StreamSlotLimits) {
    this.#leases = leases;
    this.#limits = limits;
  }

  /** Streams on this replica, admitted or being admitted. */
  get size(): number {
    return this.#streams;
  }

  /**
   * Admits one stream of the session, or says which limit refuses it. `onLost` is called if the session's
   * slot is later lost (the replica could not renew its lease in time and another replica took it): the
   * stream should end. Rejects (BackendUnavailableError) when the shared slots cannot be reached in time.
   */
  async admit(sessionToken: string, onLost?: () => void): Promise<Admission> {
    let session = this.#bySession.get(sessionToken);
    if (this.#streams >= this.#limits.total) return { admitted: false, limit: 'sse_total' };
    if (session && session.count >= this.#limits.perSession)
      return { admitted: false, limit: 'sse_per_session' };
    if (!session) {
      session = { token: sessionToken, group: sessionKey(sessionToken), count: 0 };
      this.#bySession.set(sessionToken, session);
    }
    this.#streams++;
    session.count++;
    if (!this.#leases) return { admitted: true, slot: new Slot(this, session, undefined) };
    let lease: SlotLease | undefined;
    try {
      lease = await this.#leases.acquire(session.group, this.#limits.perSession, onLost);
    } catch (error) {
      this.forget(session);
      throw error;
    }
    if (!lease) {
      this.forget(session);
      return { admitted: false, limit: 'sse_per_session' };
    }
    return { admitted: true, slot: new Slot(this, session, lease) };
  }

  /** @internal One stream of `session` is gone (refused, failed, or released). */
  forget(session: SessionStreams): void {
    this.#streams--;
    if (--session.count === 0) this.#bySession.delete(session.token);
  }
}
