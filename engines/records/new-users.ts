/**
 * Nexmark q8, monitor new users: per tumbling window (10 s), the persons who registered and
 * opened an auction in the same window — a windowed join of persons and auctions on
 * `person.id = auction.seller` — as (id, name, window start µs), emitted when the window
 * fires and stamped with the largest event time in it (of either side).
 *
 * State per open window: the persons who registered in it (id → name, decoded once) and
 * the sellers who opened an auction in it. Each person is emitted once per window however
 * many auctions it opened (q8 groups by id and name). A record for a fired window is late:
 * dropped and counted. Keyed by person id: a partitioned run must route persons by id and
 * auctions by seller.
 */
import type { RecordColumns } from '../../primitives/record-columns.js';
import type { StringArena } from '../../primitives/string-arena.js';
import type { EventTimeSpec, RecordCounters, RowField, RowSink, SlotStage } from './record-stage.js';
import { EventKind } from './schemas.js';
import { TumblingWindows, type OpenWindow, type WindowsSnapshot } from './tumbling-windows.js';

/** The q8 operator's settings. */
export interface NewUsersSpec extends EventTimeSpec {
  /** Window length (ms; Nexmark's 10 000). */
  sizeMs: number;
}

interface JoinWindow {
  persons: Map<number, string>;
  sellers: Set<number>;
}

/** q8: persons ⋈ auctions per tumbling window. */
export class NewUsers implements SlotStage {
  private readonly kind: Int32Array;
  private readonly dateTime: Float64Array;
  private readonly id: Int32Array;
  private readonly seller: Int32Array;
  private readonly strings: StringArena;
  private readonly nameColumn: number;
  private readonly windows: TumblingWindows<JoinWindow>;
  private readonly fields: RowField[] = [0, '', 0];

  constructor(columns: RecordColumns, private readonly next: RowSink, spec: NewUsersSpec, private readonly counters: RecordCounters) {
    this.kind = columns.int32('kind');
    this.dateTime = columns.float64('dateTime');
    this.id = columns.int32('id');
    this.seller = columns.int32('seller');
    this.strings = columns.strings;
    this.nameColumn = columns.stringColumn('name');
    this.windows = new TumblingWindows<JoinWindow>(spec.sizeMs, spec, () => ({ persons: new Map(), sellers: new Set() }), (window) => this.fire(window));
  }

  push(slot: number): void {
    const kind = this.kind[slot];
    if (kind === EventKind.bid) return;
    const time = this.dateTime[slot];
    const window = this.windows.windowFor(time);
    if (window === undefined) {
      this.counters.lateDropped++;
      return;
    }
    if (kind === EventKind.person) window.state.persons.set(this.id[slot], this.strings.decode(slot, this.nameColumn));
    else window.state.sellers.add(this.seller[slot]);
    this.windows.observe(window, time);
  }

  private fire(window: OpenWindow<JoinWindow>): void {
    this.fields[2] = window.index * this.windows.sizeUs;
    for (const [id, name] of window.state.persons) {
      if (!window.state.sellers.has(id)) continue;
      this.fields[0] = id;
      this.fields[1] = name;
      this.next.row(window.maxEventTimeUs, this.fields);
    }
  }

  finish(): void {
    this.windows.flush();
    this.next.finish();
  }

  snapshotState(): WindowsSnapshot<JoinWindow> {
    return this.windows.snapshot();
  }

  restoreState(state: unknown): void {
    this.windows.restore(state as WindowsSnapshot<JoinWindow>);
  }
}
