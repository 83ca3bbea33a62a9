import { mix32 } from '../../primitives/random.js';
import { BudgetedTable, slotBytes } from '../state/budgeted-state.js';
import { spillStoreOf } from './budgeted-spec.js';
import type { OperatorFactory, Stage } from './stage.js';
import { WINDOW_KEY_SPAN, type TumblingWindowSpec, type WindowsState } from './tumbling-window.js';

/**
 * `tumblingWindow` under a memory budget (planned by `engines/state/budget-plan.ts`): the same
 * windows, watermark, lateness and output, but each open window's per-key count and sum are
 * entries of one budgeted table keyed by (window, key), spilled to the task's spill store past
 * the budget. The unbudgeted operator keeps two dense `Int32Array(keys)` per open window; this
 * one keeps only the keys a window saw. A window fires with every entry it has: those in memory
 * in key order, then those read back from disk in key order, a chunk at a time (so firing a
 * window larger than the budget holds no more than the budget); the output is the unbudgeted
 * operator's, in another order (digests are order-insensitive, and each key has one output per
 * window). Its entries are then dropped from memory and disk. A record for a window that
 * already fired is dropped and counted.
 */
export interface BudgetedTumblingWindowSpec extends Omit<TumblingWindowSpec, 'op'> {
  op: 'budgetedTumblingWindow';
  store: string;
  budgetBytes: number;
}

/** An entry's key is window · 2^24 + key (keys are below 2^24, the workload schema's bound). */
const KEY_SPAN = WINDOW_KEY_SPAN;
/** Most entries of a firing window read back from disk at a time. */
const MAX_FIRE_CHUNK = 1024;

interface OpenWindow {
  index: number;
  maxEventTimeUs: number;
  /** Entries of this window written to disk (so a miss of another window needs no read). */
  spilled: number;
}

/** The budgeted tumbling window operator. */
export const budgetedTumblingWindow: OperatorFactory<BudgetedTumblingWindowSpec> = (spec, next, context): Stage => {
  const sizeUs = spec.sizeMs * 1000;
  const boundUs = spec.maxOutOfOrdernessMs * 1000;
  const latenessUs = spec.allowedLatenessMs * 1000;
  const store = spillStoreOf(spec, context);
  const disk = store.table(spec.store, 2);
  const open: OpenWindow[] = []; // sorted by index
  const byIndex = new Map<number, OpenWindow>();
  const windowOf = (entry: number): OpenWindow | undefined => byIndex.get(Math.floor(entry / KEY_SPAN));
  // The budget holds the table, its firing list (4 bytes an entry) and the read-back chunk (16 bytes an entry, at most 1/16 of the budget).
  const FIRE_CHUNK = Math.max(16, Math.min(MAX_FIRE_CHUNK, Math.floor(spec.budgetBytes / 16 / 16)));
  const tableBudget = (spec.budgetBytes - FIRE_CHUNK * 16) * (slotBytes(2) / (slotBytes(2) + 4));
  const table = new BudgetedTable(disk, tableBudget, {
    mayBeOnDisk: (entry) => (windowOf(entry)?.spilled ?? 0) > 0,
    spilled: (entry) => {
      const window = windowOf(entry);
      if (window) window.spilled++;
    },
    held: (entries) => store.noteHot(spec.store, entries),
  });
  const values = table.values;
  const keyOf = (slot: number): number => table.keyAt(slot);
  let watermarkUs = -Infinity;

  const closesAt = (index: number): number => (index + 1) * sizeUs + latenessUs;

  const windowFor = (index: number): OpenWindow => {
    const known = byIndex.get(index);
    if (known) return known;
    let at = open.length;
    while (at > 0 && open[at - 1].index > index) at--;
    const window = { index, maxEventTimeUs: -Infinity, spilled: 0 };
    open.splice(at, 0, window);
    byIndex.set(index, window);
    return window;
  };

  /** Slots of the firing window's entries in memory (at most the table's capacity: part of its budget). */
  const firing = new Int32Array(table.capacity);
  /** A chunk of the firing window's entries read back from disk. */
  const chunk = { keys: new Float64Array(FIRE_CHUNK), counts: new Int32Array(FIRE_CHUNK), sums: new Int32Array(FIRE_CHUNK) };

  const emit = (window: OpenWindow, key: number, count: number, sum: number): void => {
    if (count > 0) next.push(window.maxEventTimeUs, key, mix32(mix32(window.index, count), sum) & 0x7fffffff);
  };

  // Its entries in memory (in key order), then those only on disk, read back a chunk at a time
  // (in key order): the output the unbudgeted operator gives, in another order.
  const fire = (window: OpenWindow): void => {
    const base = window.index * KEY_SPAN;
    let held = 0;
    table.forEach((entry, slot) => {
      if (entry >= base && entry < base + KEY_SPAN) firing[held++] = slot;
    });
    const slots = firing.subarray(0, held).sort((a, b) => keyOf(a) - keyOf(b));
    for (const slot of slots) emit(window, keyOf(slot) - base, values[slot * 2], values[slot * 2 + 1]);
    if (window.spilled > 0) {
      for (let from = base; from < base + KEY_SPAN; ) {
        let n = 0;
        disk.scan(from, base + KEY_SPAN, (entry, stored) => {
          chunk.keys[n] = entry;
          chunk.counts[n] = stored[0];
          chunk.sums[n++] = stored[1];
        }, FIRE_CHUNK);
        // An entry also in memory was read back and changed since: memory's value was emitted.
        for (let i = 0; i < n; i++) if (table.find(chunk.keys[i]) < 0) emit(window, chunk.keys[i] - base, chunk.counts[i], chunk.sums[i]);
        if (n < FIRE_CHUNK) break;
        from = chunk.keys[n - 1] + 1;
      }
      disk.removeRange(base, base + KEY_SPAN);
    }
    for (const slot of Array.from(slots)) table.remove(keyOf(slot));
    byIndex.delete(window.index);
  };

  return {
    push(eventTimeUs, key, value) {
      const index = Math.floor(eventTimeUs / sizeUs);
      if (closesAt(index) <= watermarkUs) {
        context.counters.lateDropped++;
        return;
      }
      const window = windowFor(index);
      const slot = table.slotOf(index * KEY_SPAN + key);
      values[slot * 2]++;
      values[slot * 2 + 1] = (values[slot * 2 + 1] + value) & 0x7fffffff;
      if (eventTimeUs > window.maxEventTimeUs) window.maxEventTimeUs = eventTimeUs;
      if (eventTimeUs - boundUs > watermarkUs) {
        watermarkUs = eventTimeUs - boundUs;
        while (open.length > 0 && closesAt(open[0].index) <= watermarkUs) fire(open.shift() as OpenWindow);
      }
    },
    finish() {
      while (open.length > 0) fire(open.shift() as OpenWindow);
      next.finish();
    },
    snapshotState(): WindowsState {
      const entries: number[] = [];
      const counts: number[] = [];
      const sums: number[] = [];
      table.forEach((entry, slot) => {
        entries.push(entry);
        counts.push(values[slot * 2]);
        sums.push(values[slot * 2 + 1]);
      });
      if (open.some((window) => window.spilled > 0)) {
        disk.scan(undefined, undefined, (entry, stored) => {
          if (table.find(entry) >= 0) return;
          entries.push(entry);
          counts.push(stored[0]);
          sums.push(stored[1]);
        });
      }
      const order = entries.map((_, i) => i).sort((a, b) => entries[a] - entries[b]);
      return {
        watermarkUs,
        windows: open.map((window) => ({ index: window.index, maxEventTimeUs: window.maxEventTimeUs })),
        entries: Float64Array.from(order, (i) => entries[i]),
        counts: Int32Array.from(order, (i) => counts[i]),
        sums: Int32Array.from(order, (i) => sums[i]),
      };
    },
    restoreState(state) {
      const snapshot = state as WindowsState;
      table.clear();
      disk.clear();
      open.length = 0;
      byIndex.clear();
      watermarkUs = snapshot.watermarkUs;
      for (const { index, maxEventTimeUs } of snapshot.windows) windowFor(index).maxEventTimeUs = maxEventTimeUs;
      snapshot.entries.forEach((entry, i) => {
        windowFor(Math.floor(entry / KEY_SPAN));
        const slot = table.slotOf(entry);
        values[slot * 2] = snapshot.counts[i];
        values[slot * 2 + 1] = snapshot.sums[i];
      });
    },
  };
};
