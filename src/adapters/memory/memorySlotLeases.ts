/**
 * @module adapters/memory/memorySlotLeases
 * Slot leases of one process (the embedded mode has one replica): a count per group, checked and taken in
 * the same synchronous step, so concurrent acquisitions never pass the limit. Nothing expires: a process
 * that stops takes its slots with it.
 */
import type { SlotLease, SlotLeases } from '../ports.ts';

export class MemorySlotLeases implements SlotLeases {
  readonly #held = new Map<string, number>();

  async acquire(group: string, limit: number): Promise<SlotLease | undefined> {
    const held = this.#held.get(group) ?? 0;
    if (held >= limit) return undefined;
    this.#held.set(group, held + 1);
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        const left = (this.#held.get(group) ?? 1) - 1;
        if (left > 0) this.#held.set(group, left);
        else this.#held.delete(group);
      },
    };
  }

  /** Slots held in `group` (for tests). */
  held(group: string): number {
    return this.#held.get(group) ?? 0;
  }
}
