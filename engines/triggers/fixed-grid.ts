/**
 * Spark Streaming's batch timer (DStreams' `RecurringTimer` feeding the `JobScheduler`):
 * ticks on a fixed grid t0 + k·T whatever happens; each tick plans a batch on the spot (it
 * holds what arrived since the previous tick) and queues its job; queued jobs run FIFO, one
 * at a time. When processing takes longer than T, jobs pile up and each waits longer than
 * the one before: the scheduling delay grows without bound, as in Spark.
 *
 * The grid is self-correcting: tick k is scheduled at t0 + k·T computed from k, never from
 * the previous tick's (late) firing time, so lateness does not accumulate into drift.
 * With no job to plan, it doubles as a plain ticker (continuous mode's epoch markers).
 */
import type { Clock } from '../../primitives/clock.js';
import type { BatchJob, BatchPlanner, TriggerExecutor } from './trigger-executor.js';

export class FixedGridTrigger implements TriggerExecutor {
  private tick = 0;
  private cancelTimer: (() => void) | undefined;
  private readonly queue: BatchJob[] = [];
  private running: Promise<void> | undefined;
  private stopped = false;
  private failure: unknown;
  /** Ticks that fired (actual − due time is the tick's lateness). */
  onTickFired?: (dueUs: number, firedUs: number) => void;

  /**
   * @param intervalUs the batch interval T
   * @param originUs t0: tick k is due at t0 + k·T (the first tick is at t0 + T)
   */
  constructor(
    private readonly clock: Clock,
    private readonly intervalUs: number,
    private readonly originUs: number = clock.now(),
  ) {
    if (!(intervalUs > 0)) throw new RangeError(`FixedGridTrigger needs an interval > 0, got ${intervalUs} µs`);
  }

  /** Jobs planned and waiting to run (the running one excluded). */
  get queued(): number {
    return this.queue.length;
  }

  execute(planBatch: BatchPlanner): void {
    const arm = (): void => {
      this.tick++;
      const dueUs = this.originUs + this.tick * this.intervalUs;
      this.cancelTimer = this.clock.setTimer(dueUs, () => {
        if (this.stopped) return;
        this.onTickFired?.(dueUs, this.clock.now());
        const job = planBatch(dueUs);
        if (this.stopped) return; // the planner may have stopped the trigger
        arm();
        if (job) {
          this.queue.push(job);
          this.runQueued();
        }
      });
    };
    arm();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    this.queue.length = 0;
    await this.running;
    if (this.failure !== undefined) throw this.failure;
  }

  private runQueued(): void {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job()
      .catch((error: unknown) => {
        // A failed batch stops the trigger; stop() reports the failure.
        this.failure ??= error;
        this.stopped = true;
        this.cancelTimer?.();
      })
      .finally(() => {
        this.running = undefined;
        if (!this.stopped) this.runQueued();
      });
  }
}
