/**
 * Structured Streaming's `ProcessingTimeExecutor`. With interval 0 (Spark's default trigger)
 * the next batch starts as soon as the previous one ends; with interval T > 0 a batch starts
 * on the grid: after a batch that started at s, the next is due at the first grid point
 * after s (⌊s/T⌋·T + T), so a batch that overran its interval is followed at once and the
 * missed grid points are skipped. There is no queue: each batch takes everything available
 * when it starts, so batch size adapts to load.
 *
 * When a batch has nothing to do the executor waits on `idle()` (the engine's "new data or
 * timeout") instead of spinning, like Spark's polling delay but woken by the data itself.
 */
import type { Clock } from '../../primitives/clock.js';
import type { BatchPlanner, TriggerExecutor } from './trigger-executor.js';

export class ProcessingTimeTrigger implements TriggerExecutor {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private cancelWait: (() => void) | undefined;
  private wake: (() => void) | undefined;
  /** Batches whose processing took longer than the interval (Spark logs "falling behind"). */
  fallingBehind = 0;

  constructor(
    private readonly clock: Clock,
    private readonly intervalUs: number,
    private readonly idle: () => Promise<void>,
  ) {
    if (!(intervalUs >= 0)) throw new RangeError(`ProcessingTimeTrigger needs an interval >= 0, got ${intervalUs} µs`);
  }

  /** The next due time after a batch triggered at `triggerUs` (Spark's `nextBatchTime`). */
  nextBatchTime(triggerUs: number): number {
    if (this.intervalUs === 0) return triggerUs;
    return Math.floor(triggerUs / this.intervalUs) * this.intervalUs + this.intervalUs;
  }

  execute(planBatch: BatchPlanner): void {
    this.loop = this.run(planBatch);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelWait?.();
    this.wake?.();
    await this.loop;
  }

  private async run(planBatch: BatchPlanner): Promise<void> {
    let dueUs = this.intervalUs === 0 ? this.clock.now() : this.nextBatchTime(this.clock.now());
    while (!this.stopped) {
      await this.waitUntil(dueUs);
      if (this.stopped) return;
      const triggerUs = this.clock.now();
      const job = planBatch(dueUs);
      if (job) {
        await job();
        if (this.intervalUs > 0 && this.clock.now() - triggerUs > this.intervalUs) this.fallingBehind++;
      } else if (this.intervalUs === 0) {
        await this.idle();
      }
      dueUs = this.intervalUs === 0 ? this.clock.now() : this.nextBatchTime(triggerUs);
    }
  }

  private waitUntil(atUs: number): Promise<void> {
    if (atUs <= this.clock.now()) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
      this.cancelWait = this.clock.setTimer(atUs, resolve);
    });
  }
}
