/**
 * The delivery seam of a partition task: how held output reaches the downstream and when
 * offsets commit. Chosen once at task start from the writer — instant (emit at once) or a
 * slow sink (`slow-sink.ts`: back-pressure, or drops by policy) — and the commit rule:
 *
 * - without recovery every delivery is a commit point (continuous) and a batch commits at
 *   its end;
 * - recovering (`task-recovery.ts`), commit points are a batch's end, an epoch marker and
 *   the end of the input; each snapshots before it commits. Deliveries that are final when
 *   made (continuous output, the priority lane's) are published on the recovery board, per
 *   write behind a slow sink, so a replay can count their duplicates; a batch's own output
 *   is a transaction published only once its snapshot is posted (exactly-once).
 *
 * The per-record continuous path without a slow sink or recovery emits straight into the
 * measuring sink and commits. Each variant is a class, so the loop's call sites see the same
 * method in every task of a thread (monomorphic, inlined).
 */
import type { Clock } from '../../primitives/clock.js';
import type { SourceLog } from '../../primitives/source-log.js';
import type { SlowSinkWriter } from './slow-sink.js';
import type { TaskRecovery } from './task-recovery.js';
import type { HeldOutput, TaskSink } from './task-sink.js';

/** Continuous mode behind a slow sink: most records read before checking for a stop request. */
const SLOW_SINK_READ_CHUNK = 1024;

/** Where a partition task stands; the loop and its seams share it. */
export interface TaskState {
  /** The in-order pass's position: every record below it is processed. */
  offset: number;
  /** The last batch (batch kind) or epoch marker (continuous) completed. */
  sequence: number;
  /** Whether the final record was processed and the final windows flushed. */
  finalized: boolean;
  /** With recovery: the output of every offset below this is delivered (published on the board). */
  deliveredOffset: number;
}

/** How a partition task delivers and commits. */
export interface Delivery {
  /** Most records to read before checking for a stop request (Infinity: all appended). */
  readonly readChunk: number;
  /** Whether epoch markers and the end of the input are commit points (recovery), rather than every delivery. */
  readonly commitsAtEpochs: boolean;
  /** Continuous, flush timeout 0: called after each record, with the offset after it (the task's offset may lag until the stretch ends). */
  afterRecord(offset: number): void;
  /** Delivers `held` at once: the priority lane's output, ahead of the in-order pass. */
  deliverAhead(held: HeldOutput): void;
  /** Continuous: whether output is held, or processed offsets still wait for their delivery or commit. */
  awaitsDelivery(): boolean;
  /** Continuous, flush timeout due: delivers the held output (and commits, where delivery is the commit point). */
  deliverDue(): void;
  /** A commit point: delivers everything held, snapshots (with recovery), commits the in-order offset. */
  commit(): void;
}

/** What a delivery is built from. */
export interface DeliveryParts {
  log: SourceLog;
  partition: number;
  clock: Clock;
  sink: TaskSink;
  state: TaskState;
  slowSink?: SlowSinkWriter;
  /**
   * With recovery: its duties, the snapshot to take at each commit point, and whether a
   * commit's delivery is a transaction that commits with the snapshot (batch kind).
   */
  recovery?: { duties: TaskRecovery; checkpoint: () => void; transactional: boolean };
}

/** Builds the delivery of a task: direct, or recovering. */
export function createDelivery(parts: DeliveryParts): Delivery {
  return parts.recovery ? new RecoveringDelivery(parts, parts.recovery) : new DirectDelivery(parts);
}

/** Hands held output downstream: at once, or through the slow sink's queue (calling `afterWrite` after each write). */
class OutputWriter {
  constructor(
    private readonly clock: Clock,
    private readonly slowSink: SlowSinkWriter | undefined,
    private readonly afterWrite?: () => void,
  ) {}

  write(held: HeldOutput): void {
    if (this.slowSink) this.slowSink.deliver(held, this.afterWrite);
    else held.flush(this.clock.now());
  }
}

/** What both deliveries share: the task's parts and the commit of the in-order offset. */
abstract class TaskDelivery {
  readonly readChunk: number;
  protected readonly log: SourceLog;
  protected readonly partition: number;
  protected readonly sink: TaskSink;
  protected readonly state: TaskState;

  constructor({ log, partition, sink, state, slowSink }: DeliveryParts) {
    this.readChunk = slowSink ? SLOW_SINK_READ_CHUNK : Infinity;
    this.log = log;
    this.partition = partition;
    this.sink = sink;
    this.state = state;
  }

  /** Commits the in-order offset and publishes the output count. */
  protected commitOffset(): void {
    this.log.commit(this.partition, this.state.offset);
    this.log.setOutputCount(this.partition, this.sink.emitted);
  }
}

/** Without recovery: every continuous delivery is a commit point. */
class DirectDelivery extends TaskDelivery implements Delivery {
  readonly commitsAtEpochs = false;
  private readonly writer: OutputWriter;

  constructor(parts: DeliveryParts) {
    super(parts);
    this.writer = new OutputWriter(parts.clock, parts.slowSink);
  }

  afterRecord(offset: number): void {
    if (this.sink.buffered > 0) this.writer.write(this.sink);
    this.log.commit(this.partition, offset);
  }

  deliverAhead(held: HeldOutput): void {
    this.writer.write(held);
  }

  awaitsDelivery(): boolean {
    return this.sink.buffered > 0 || this.log.committed(this.partition) !== this.state.offset;
  }

  deliverDue(): void {
    this.commit();
  }

  commit(): void {
    this.writer.write(this.sink);
    this.commitOffset();
  }
}

/** With recovery: commit points snapshot first; deliveries final when made are published on the board. */
class RecoveringDelivery extends TaskDelivery implements Delivery {
  readonly commitsAtEpochs = true;
  /** Writes deliveries that are final when made, publishing each write. */
  private readonly writer: OutputWriter;
  /** Writes a batch's transaction (published with its snapshot). */
  private readonly transactionWriter: OutputWriter;
  private readonly duties: TaskRecovery;
  private readonly checkpoint: () => void;
  private readonly transactional: boolean;
  private readonly clock: Clock;

  constructor(parts: DeliveryParts, { duties, checkpoint, transactional }: NonNullable<DeliveryParts['recovery']>) {
    super(parts);
    this.duties = duties;
    this.checkpoint = checkpoint;
    this.transactional = transactional;
    this.clock = parts.clock;
    this.writer = new OutputWriter(parts.clock, parts.slowSink, () => duties.publish(this.sink));
    this.transactionWriter = new OutputWriter(parts.clock, parts.slowSink);
  }

  afterRecord(offset: number): void {
    if (this.sink.buffered > 0) {
      this.deliverUpTo(offset);
    } else if (this.state.deliveredOffset !== offset) {
      this.state.deliveredOffset = offset;
      this.duties.deliveredUpTo(offset);
    }
  }

  deliverAhead(held: HeldOutput): void {
    this.writer.write(held);
    this.delivered();
  }

  awaitsDelivery(): boolean {
    return this.sink.buffered > 0 || this.state.deliveredOffset !== this.state.offset;
  }

  deliverDue(): void {
    this.deliverUpTo(this.state.offset);
  }

  commit(): void {
    if (!this.transactional) {
      this.deliverDue();
      this.checkpoint();
    } else {
      this.transactionWriter.write(this.sink);
      this.duties.reportDelivery(this.sink, this.clock.now());
      this.markDelivered(this.state.offset);
      this.checkpoint();
      this.duties.publish(this.sink);
    }
    this.commitOffset();
  }

  /** Delivers everything held, for good: the output of every offset below `offset` (all processed in order) is then delivered. */
  private deliverUpTo(offset: number): void {
    this.writer.write(this.sink);
    this.delivered();
    this.markDelivered(offset);
  }

  private markDelivered(offset: number): void {
    this.state.deliveredOffset = offset;
    this.duties.deliveredUpTo(offset);
  }

  /** After a final delivery: published on the board; a replacement's first output reported. */
  private delivered(): void {
    this.duties.publish(this.sink);
    this.duties.reportDelivery(this.sink, this.clock.now());
  }
}
