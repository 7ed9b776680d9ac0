/**
 * @module adapters/memory/memorySlotLeases
 * Slot leases of one process (the embedded mode has one replica): a count per group, checked and taken in
 * the same synchronous step, so concurrent acquisitions never pass the limit. Nothing expires: a process
 * that stops takes its slots with it.
 */
import type { SlotLease, SlotLeases } from '../ports.ts';

/** A group's count; each lease holds its group (fields only, no closure: one lease per open stream). */
interface Group {
  readonly name: string;
  held: number;
}

class MemoryLease implements SlotLease {
  #group: Group | undefined;

  constructor(
    readonly owner: MemorySlotLeases,
    group: Group,
  ) {
    this.#group = group;
  }

  async release(): Promise<void> {
    const group = this.#group;
    if (!group) return;
    this.#group = undefined;
    this.owner.returned(group);
  }
}

export class MemorySlotLeases implements SlotLeases {
  readonly #groups = new Map<string, Group>();

  async acquire(name: string, limit: number): Promise<SlotLease | undefined> {
    let group = this.#groups.get(name);
    if (group && group.held >= limit) return undefined;
    if (!group) {
      group = { name, held: 0 };
      this.#groups.set(name, group);
    }
    group.held++;
    return new MemoryLease(this, group);
  }

  /** @internal */
  returned(group: Group): void {
    if (--group.held === 0 && this.#groups.get(group.name) === group) this.#groups.delete(group.name);
  }

  /** Slots held in `group` (for tests). */
  held(name: string): number {
    return this.#groups.get(name)?.held ?? 0;
  }
}
