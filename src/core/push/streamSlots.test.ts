/**
 * Stream admission: this replica's counts are taken before any await, the session's slot is shared with
 * other replicas (here two StreamSlots on one in-memory SlotLeases, the NATS one's contract in a few lines),
 * and every refusal or failure gives back what it took.
 */
import { describe, expect, test } from 'vitest';
import { BackendUnavailableError, type SlotLease, type SlotLeases } from '../../adapters/ports.ts';
import { sessionKey } from '../sessions/sessionKey.ts';
import { type Admission, StreamSlots } from './streamSlots.ts';

const admitted = (admission: Admission) => (admission.admitted ? admission.slot : undefined);

/** Slots shared by replicas in one process: a count per group, each lease released once. */
class SharedLeases implements SlotLeases {
  readonly counts = new Map<string, number>();

  async acquire(group: string, limit: number): Promise<SlotLease | undefined> {
    const held = this.counts.get(group) ?? 0;
    if (held >= limit) return undefined;
    this.counts.set(group, held + 1);
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        this.counts.set(group, (this.counts.get(group) ?? 1) - 1);
      },
    };
  }
}

describe('StreamSlots', () => {
  test('concurrent admissions on one replica never pass the per-session limit', async () => {
    const slots = new StreamSlots(undefined, { perSession: 3, total: 100 });
    const results = await Promise.all(Array.from({ length: 10 }, () => slots.admit('token-a')));
    expect(results.filter((result) => result.admitted)).toHaveLength(3);
    expect(results.filter((result) => !result.admitted && result.limit === 'sse_per_session')).toHaveLength(
      7,
    );
    expect(slots.size).toBe(3);
  });

  test('the per-session limit is shared by replicas; a release frees the slot for any of them', async () => {
    const leases = new SharedLeases();
    const a = new StreamSlots(leases, { perSession: 2, total: 100 });
    const b = new StreamSlots(leases, { perSession: 2, total: 100 });
    const first = admitted(await a.admit('token'));
    expect(admitted(await b.admit('token'))).toBeDefined();
    expect(await a.admit('token')).toEqual({ admitted: false, limit: 'sse_per_session' });
    expect(await b.admit('token')).toEqual({ admitted: false, limit: 'sse_per_session' });
    expect(leases.counts.get(sessionKey('token'))).toBe(2);
    first!.release();
    first!.release(); // twice is once
    await Promise.resolve();
    expect(admitted(await b.admit('token'))).toBeDefined();
    expect(a.size).toBe(0);
    expect(b.size).toBe(2);
  });

  test('the replica total is its own, whatever the sessions', async () => {
    const slots = new StreamSlots(undefined, { perSession: 5, total: 2 });
    expect((await slots.admit('one')).admitted).toBe(true);
    expect((await slots.admit('two')).admitted).toBe(true);
    expect(await slots.admit('three')).toEqual({ admitted: false, limit: 'sse_total' });
  });

  test('the shared slots unreachable: the error reaches the caller and nothing stays counted', async () => {
    let failing = true;
    const leases: SlotLeases = {
      acquire: async (): Promise<SlotLease | undefined> => {
        if (failing) throw new BackendUnavailableError('slots unavailable');
        return { release: async () => {} };
      },
    };
    const slots = new StreamSlots(leases, { perSession: 1, total: 1 });
    await expect(slots.admit('token')).rejects.toBeInstanceOf(BackendUnavailableError);
    expect(slots.size).toBe(0);
    failing = false;
    expect((await slots.admit('token')).admitted).toBe(true);
  });

  test('the token never reaches the shared slots, only its hash', async () => {
    const groups: string[] = [];
    const slots = new StreamSlots(
      {
        acquire: async (group) => {
          groups.push(group);
          return { release: async () => {} };
        },
      },
      { perSession: 1, total: 1 },
    );
    await slots.admit('secret-token');
    expect(groups).toEqual([sessionKey('secret-token')]);
  });
});
