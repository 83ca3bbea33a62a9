/**
 * One int32 per key (a running count or sum) under a memory budget: the budgeted form of the
 * `Int32Array(keys)` the unbudgeted keyed operators keep. A {@link BudgetedTable} in memory, a
 * spill table on disk, and a filter of the keys ever spilled (its bytes count against the
 * budget), so a key met for the first time costs no disk read. Its snapshot holds every entry, in memory
 * or on disk, so a fault's replacement task restores spilled state too.
 */
import { BudgetedTable, KeyBits } from './budgeted-state.js';
import type { SpillStore, SpillTable } from './spill-store.js';

/** The whole state as plain data (structured-cloneable): keys and their values. */
export interface KeyedStateSnapshot {
  keys: Float64Array;
  values: Int32Array;
}

/** A budgeted int32 per key. */
export class BudgetedKeyedState {
  readonly table: BudgetedTable;
  private readonly disk: SpillTable;
  private readonly spilled: KeyBits;
  private readonly store: SpillStore;

  constructor(
    store: SpillStore,
    private readonly name: string,
    budgetBytes: number,
    keys: number,
  ) {
    this.store = store;
    this.disk = store.table(name, 1);
    // The filter takes at most an eighth of the budget; the table the rest.
    this.spilled = new KeyBits(keys, budgetBytes / 8);
    const spilled = this.spilled;
    this.table = new BudgetedTable(this.disk, budgetBytes - spilled.bits.byteLength, {
      mayBeOnDisk: (key) => spilled.has(key),
      spilled: (key) => spilled.set(key),
      held: (entries) => store.noteHot(name, entries),
    });
  }

  /** The slot of `key` in `table.values` (read back or new); valid until the next call. */
  slotOf(key: number): number {
    return this.table.slotOf(key);
  }

  /** Every entry, in memory or on disk (memory wins where both hold one). */
  snapshot(): KeyedStateSnapshot {
    const keys: number[] = [];
    const values: number[] = [];
    const { table } = this;
    table.forEach((key, slot) => {
      keys.push(key);
      values.push(table.values[slot]);
    });
    this.disk.scan(undefined, undefined, (key, stored) => {
      if (table.find(key) < 0) {
        keys.push(key);
        values.push(stored[0]);
      }
    });
    this.store.noteHot(this.name, table.size);
    return { keys: Float64Array.from(keys), values: Int32Array.from(values) };
  }

  /** Replaces the state with `snapshot`'s (what does not fit in memory spills). */
  restore(snapshot: KeyedStateSnapshot): void {
    this.table.clear();
    this.disk.clear();
    this.spilled.clear();
    for (let i = 0; i < snapshot.keys.length; i++) this.table.values[this.table.slotOf(snapshot.keys[i])] = snapshot.values[i];
  }
}
