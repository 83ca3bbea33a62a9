import { describe, expect, it } from 'vitest';
import { ManualClock, type Clock } from '../primitives/clock.js';
import { FixedGridTrigger } from '../engines/triggers/fixed-grid.js';
import { ProcessingTimeTrigger } from '../engines/triggers/processing-time.js';
import type { BatchJob } from '../engines/triggers/trigger-executor.js';

/** Lets every pending promise continuation (and then-chains of them) run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A clock whose timers fire only when the test says so, at a time the test chooses (so a
 * callback can be late, as a real timer is). `fireNext(atUs)` moves time to `atUs` and
 * fires the earliest pending timer.
 */
class LateClock implements Clock {
  timeUs = 0;
  timers: { atUs: number; callback: () => void }[] = [];
  now(): number {
    return this.timeUs;
  }
  setTimer(atUs: number, callback: () => void): () => void {
    const timer = { atUs, callback };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }
  fireNext(atUs: number): void {
    const [timer] = [...this.timers].sort((a, b) => a.atUs - b.atUs);
    if (!timer) throw new Error('no timer pending');
    if (atUs < timer.atUs) throw new Error('a timer cannot fire early');
    this.timers = this.timers.filter((t) => t !== timer);
    this.timeUs = atUs;
    timer.callback();
  }
}

/** A job the test completes by hand; records when it started. */
interface ManualJob {
  job: BatchJob;
  startedUs: number | undefined;
  done: boolean;
  complete(): void;
}

function manualJob(clock: Clock, label?: string, log?: string[]): ManualJob {
  let resolve: () => void = () => {
    throw new Error('job not started');
  };
  const handle: ManualJob = {
    startedUs: undefined,
    done: false,
    job: () => {
      handle.startedUs = clock.now();
      if (label !== undefined) log?.push(`start ${label}`);
      return new Promise<void>((r) => {
        resolve = () => {
          handle.done = true;
          if (label !== undefined) log?.push(`end ${label}`);
          r();
        };
      });
    },
    complete: () => resolve(),
  };
  return handle;
}

describe('FixedGridTrigger', () => {
  it('rejects a non-positive interval', () => {
    const clock = new ManualClock();
    expect(() => new FixedGridTrigger(clock, 0)).toThrow(RangeError);
    expect(() => new FixedGridTrigger(clock, -5)).toThrow(RangeError);
    expect(() => new FixedGridTrigger(clock, Number.NaN)).toThrow(RangeError);
    expect(() => new FixedGridTrigger(clock, 0)).toThrow('FixedGridTrigger needs an interval > 0, got 0 µs');
  });

  it('ticks at origin + k·T, the first one at origin + T', () => {
    const clock = new ManualClock(0);
    const trigger = new FixedGridTrigger(clock, 100, 30);
    const planned: number[] = [];
    const fired: [number, number][] = [];
    trigger.onTickFired = (due, at) => fired.push([due, at]);
    trigger.execute((due) => {
      planned.push(due);
      return null;
    });
    clock.advanceTo(129);
    expect(planned).toEqual([]);
    clock.advanceTo(130);
    expect(planned).toEqual([130]);
    clock.advanceTo(545);
    expect(planned).toEqual([130, 230, 330, 430, 530]);
    expect(fired).toEqual(planned.map((d) => [d, d]));
    // exactly one timer armed: the next tick
    expect(clock.pendingTimers).toBe(1);
  });

  it('defaults the origin to the clock time at construction', () => {
    const clock = new ManualClock(1_000);
    const trigger = new FixedGridTrigger(clock, 250);
    clock.advanceTo(5_000); // time passes before execute(); the grid is still anchored at 1000
    const planned: number[] = [];
    trigger.execute((due) => {
      planned.push(due);
      return null;
    });
    clock.advanceTo(5_600);
    expect(planned).toEqual([1_250, 1_500, 1_750, 2_000, 2_250, 2_500, 2_750, 3_000, 3_250, 3_500, 3_750, 4_000, 4_250, 4_500, 4_750, 5_000, 5_250, 5_500]);
  });

  it('keeps the grid exact when callbacks fire late (no drift), reporting due and fired times', () => {
    const clock = new LateClock();
    const trigger = new FixedGridTrigger(clock, 100, 0);
    const fired: [number, number][] = [];
    const planned: number[] = [];
    trigger.onTickFired = (due, at) => fired.push([due, at]);
    trigger.execute((due) => {
      planned.push(due);
      return null;
    });
    expect(clock.timers.map((t) => t.atUs)).toEqual([100]);
    clock.fireNext(137); // 37 late
    expect(clock.timers.map((t) => t.atUs)).toEqual([200]); // not 237
    clock.fireNext(290); // 90 late
    expect(clock.timers.map((t) => t.atUs)).toEqual([300]);
    clock.fireNext(300); // on time
    clock.fireNext(480); // 80 late
    expect(clock.timers.map((t) => t.atUs)).toEqual([500]);
    expect(fired).toEqual([
      [100, 137],
      [200, 290],
      [300, 300],
      [400, 480],
    ]);
    expect(planned).toEqual([100, 200, 300, 400]);
  });

  it('runs jobs FIFO, one at a time', async () => {
    const clock = new ManualClock(0);
    const trigger = new FixedGridTrigger(clock, 100, 0);
    const events: string[] = [];
    const jobs: ManualJob[] = [];
    trigger.execute(() => {
      const j = manualJob(clock, String(jobs.length + 1), events);
      jobs.push(j);
      return j.job;
    });
    clock.advanceTo(300); // three ticks: job 1 starts, 2 and 3 queue
    await flush();
    expect(jobs).toHaveLength(3);
    expect(events).toEqual(['start 1']);
    expect(trigger.queued).toBe(2);

    jobs[0].complete();
    await flush();
    expect(events).toEqual(['start 1', 'end 1', 'start 2']);
    expect(trigger.queued).toBe(1);

    jobs[1].complete();
    await flush();
    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3']);
    expect(trigger.queued).toBe(0);

    jobs[2].complete();
    await flush();
    expect(events.at(-1)).toBe('end 3');
    // a later tick starts its job immediately again: the queue is empty and nothing runs
    clock.advanceTo(400);
    await flush();
    expect(events.at(-1)).toBe('start 4');
    expect(jobs[3].startedUs).toBe(400);
    jobs[3].complete();
    await trigger.stop();
  });

  it('queues nothing for a tick whose planner returns null', async () => {
    const clock = new ManualClock(0);
    const trigger = new FixedGridTrigger(clock, 100, 0);
    const jobs: ManualJob[] = [];
    trigger.execute((due) => {
      if (due === 200) return null;
      const j = manualJob(clock);
      jobs.push(j);
      return j.job;
    });
    clock.advanceTo(300);
    await flush();
    expect(jobs).toHaveLength(2);
    expect(trigger.queued).toBe(1);
    jobs[0].complete();
    await flush();
    expect(jobs[1].startedUs).toBe(300);
    jobs[1].complete();
    await trigger.stop();
  });

  it('lets the scheduling delay grow batch after batch when each job takes longer than T', async () => {
    const T = 100;
    const processingUs = 150;
    const clock = new ManualClock(0);
    const trigger = new FixedGridTrigger(clock, T, 0);
    const jobs: { due: number; handle: ManualJob }[] = [];
    trigger.execute((due) => {
      const handle = manualJob(clock);
      jobs.push({ due, handle });
      return handle.job;
    });
    const delays: number[] = [];
    clock.advanceTo(T);
    await flush();
    for (let k = 0; k < 8; k++) {
      const current = jobs[k];
      expect(current.handle.startedUs).toBeDefined();
      delays.push((current.handle.startedUs as number) - current.due);
      // the job runs for processingUs of clock time (ticks keep firing meanwhile), then ends
      clock.advanceTo((current.handle.startedUs as number) + processingUs);
      current.handle.complete();
      await flush();
    }
    // job k (1-based) is due at k·T and starts at T + (k−1)·150: delay (k−1)·50
    expect(delays).toEqual([0, 50, 100, 150, 200, 250, 300, 350]);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThan(delays[i - 1]);
    // the backlog of queued jobs grows too
    expect(trigger.queued).toBeGreaterThanOrEqual(3);
    jobs[8].handle.complete();
    await trigger.stop();
  });

  it('stop() prevents further ticks, drops queued jobs and awaits the running job', async () => {
    const clock = new ManualClock(0);
    const trigger = new FixedGridTrigger(clock, 100, 0);
    const planned: number[] = [];
    const jobs: ManualJob[] = [];
    const ticks: number[] = [];
    trigger.onTickFired = (due) => ticks.push(due);
    trigger.execute((due) => {
      planned.push(due);
      const j = manualJob(clock);
      jobs.push(j);
      return j.job;
    });
    clock.advanceTo(300);
    await flush();
    expect(planned).toEqual([100, 200, 300]);
    expect(trigger.queued).toBe(2);

    let stopped = false;
    const stopping = trigger.stop().then(() => {
      stopped = true;
    });
    await flush();
    expect(stopped).toBe(false); // job 1 is still running
    expect(clock.pendingTimers).toBe(0);
    expect(trigger.queued).toBe(0);

    clock.advanceTo(1_000);
    await flush();
    expect(planned).toEqual([100, 200, 300]);
    expect(ticks).toEqual([100, 200, 300]);

    jobs[0].complete();
    await stopping;
    expect(stopped).toBe(true);
    await flush();
    // the queued jobs never ran
    expect(jobs[1].startedUs).toBeUndefined();
    expect(jobs[2].startedUs).toBeUndefined();
  });

  it('stop() with nothing running resolves at once and cancels the next tick', async () => {
    const clock = new ManualClock(0);
    const trigger = new FixedGridTrigger(clock, 100, 0);
    let calls = 0;
    trigger.execute(() => {
      calls++;
      return null;
    });
    clock.advanceTo(150);
    await trigger.stop();
    clock.advanceTo(10_000);
    expect(calls).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('ProcessingTimeTrigger', () => {
  it('rejects a negative interval', () => {
    const clock = new ManualClock();
    expect(() => new ProcessingTimeTrigger(clock, -1, async () => {})).toThrow(RangeError);
    expect(() => new ProcessingTimeTrigger(clock, Number.NaN, async () => {})).toThrow(RangeError);
    expect(() => new ProcessingTimeTrigger(clock, -1, async () => {})).toThrow('ProcessingTimeTrigger needs an interval >= 0, got -1 µs');
  });

  it('nextBatchTime is the first grid point strictly after the trigger time', () => {
    const clock = new ManualClock();
    const t = new ProcessingTimeTrigger(clock, 100, async () => {});
    expect(t.nextBatchTime(0)).toBe(100);
    expect(t.nextBatchTime(1)).toBe(100);
    expect(t.nextBatchTime(99)).toBe(100);
    expect(t.nextBatchTime(100)).toBe(200);
    expect(t.nextBatchTime(250)).toBe(300);
    expect(t.nextBatchTime(1_234_567)).toBe(1_234_600);
    const zero = new ProcessingTimeTrigger(clock, 0, async () => {});
    expect(zero.nextBatchTime(0)).toBe(0);
    expect(zero.nextBatchTime(777)).toBe(777);
  });

  it('with interval 0 runs batches back to back', async () => {
    const clock = new ManualClock(0);
    let idleCalls = 0;
    const trigger = new ProcessingTimeTrigger(clock, 0, async () => {
      idleCalls++;
    });
    const jobs: { due: number; handle: ManualJob }[] = [];
    trigger.execute((due) => {
      const handle = manualJob(clock);
      jobs.push({ due, handle });
      return handle.job;
    });
    await flush();
    expect(jobs).toHaveLength(1);
    expect(jobs[0].handle.startedUs).toBe(0);
    expect(jobs[0].due).toBe(0);
    for (const endUs of [70, 75, 400]) {
      clock.advanceTo(endUs);
      await flush();
      // nothing new starts while the batch runs, whatever time does
      expect(jobs.filter((j) => j.handle.startedUs !== undefined && !j.handle.done)).toHaveLength(1);
      jobs.at(-1)!.handle.complete();
      await flush();
      // the next batch starts at once, due at the end of the previous one
      expect(jobs.at(-1)!.due).toBe(endUs);
      expect(jobs.at(-1)!.handle.startedUs).toBe(endUs);
    }
    expect(jobs).toHaveLength(4);
    expect(idleCalls).toBe(0);
    expect(trigger.fallingBehind).toBe(0); // never counted with interval 0
    jobs.at(-1)!.handle.complete();
    await trigger.stop();
  });

  it('with interval 0 and no work, waits on idle() before planning again', async () => {
    const clock = new ManualClock(0);
    const idleWaits: (() => void)[] = [];
    const trigger = new ProcessingTimeTrigger(
      clock,
      0,
      () =>
        new Promise<void>((resolve) => {
          idleWaits.push(resolve);
        }),
    );
    let plans = 0;
    let work = false;
    const handles: ManualJob[] = [];
    trigger.execute(() => {
      plans++;
      if (!work) return null;
      work = false;
      const h = manualJob(clock);
      handles.push(h);
      return h.job;
    });
    await flush();
    expect(plans).toBe(1);
    expect(idleWaits).toHaveLength(1);
    // time passing does not make it spin
    clock.advanceTo(10_000);
    await flush();
    expect(plans).toBe(1);

    work = true;
    idleWaits[0]();
    await flush();
    expect(plans).toBe(2);
    expect(handles).toHaveLength(1);
    expect(handles[0].startedUs).toBe(10_000);
    expect(idleWaits).toHaveLength(1); // not idle while a job runs

    clock.advanceTo(10_500);
    handles[0].complete();
    await flush();
    expect(plans).toBe(3); // planned again straight after the job, found nothing
    expect(idleWaits).toHaveLength(2);

    const stopping = trigger.stop();
    idleWaits[1]();
    await stopping;
    expect(plans).toBe(3);
  });

  it('with interval T > 0 starts on the grid', async () => {
    const T = 100;
    const clock = new ManualClock(30);
    let idleCalls = 0;
    const trigger = new ProcessingTimeTrigger(clock, T, async () => {
      idleCalls++;
    });
    const starts: { due: number; at: number }[] = [];
    trigger.execute((due) => {
      starts.push({ due, at: clock.now() });
      return async () => {};
    });
    await flush();
    expect(starts).toEqual([]); // started at 30: first batch due at 100
    for (const t of [99, 100, 199, 200, 300, 400]) {
      clock.advanceTo(t);
      await flush();
    }
    expect(starts).toEqual([
      { due: 100, at: 100 },
      { due: 200, at: 200 },
      { due: 300, at: 300 },
      { due: 400, at: 400 },
    ]);
    expect(trigger.fallingBehind).toBe(0);
    expect(idleCalls).toBe(0);
    await trigger.stop();
  });

  it('with interval T > 0 and no work, waits for the next grid point (not idle())', async () => {
    const clock = new ManualClock(0);
    let idleCalls = 0;
    const trigger = new ProcessingTimeTrigger(clock, 100, async () => {
      idleCalls++;
    });
    const plans: number[] = [];
    trigger.execute((due) => {
      plans.push(due);
      return null;
    });
    for (const t of [50, 100, 150, 200, 300]) {
      clock.advanceTo(t);
      await flush();
    }
    expect(plans).toEqual([100, 200, 300]);
    expect(idleCalls).toBe(0);
    await trigger.stop();
  });

  it('follows an overrunning batch at once, counts it as falling behind, and skips missed grid points', async () => {
    const T = 100;
    const clock = new ManualClock(0);
    const trigger = new ProcessingTimeTrigger(clock, T, async () => {});
    const batches: { due: number; handle: ManualJob }[] = [];
    trigger.execute((due) => {
      const handle = manualJob(clock);
      batches.push({ due, handle });
      return handle.job;
    });
    clock.advanceTo(100);
    await flush();
    expect(batches).toHaveLength(1);
    expect(batches[0].handle.startedUs).toBe(100);

    // batch 1 runs 100 → 350, overrunning 200 and 300
    clock.advanceTo(350);
    await flush();
    expect(batches).toHaveLength(1);
    batches[0].handle.complete();
    await flush();
    expect(trigger.fallingBehind).toBe(1);
    // the next batch starts at once (not at 400)
    expect(batches).toHaveLength(2);
    expect(batches[1].handle.startedUs).toBe(350);

    // it finishes quickly; the missed 300 is skipped: the next one is at 400, not 350 again
    clock.advanceTo(360);
    batches[1].handle.complete();
    await flush();
    expect(trigger.fallingBehind).toBe(1);
    expect(batches).toHaveLength(2);
    clock.advanceTo(399);
    await flush();
    expect(batches).toHaveLength(2);
    clock.advanceTo(400);
    await flush();
    expect(batches).toHaveLength(3);
    expect(batches[2].handle.startedUs).toBe(400);
    expect(batches[2].due).toBe(400);

    // a batch taking exactly T is not falling behind
    clock.advanceTo(500);
    batches[2].handle.complete();
    await flush();
    expect(trigger.fallingBehind).toBe(1);
    expect(batches).toHaveLength(4);
    expect(batches[3].handle.startedUs).toBe(500);

    // a batch that overruns by many intervals is followed by exactly one immediate batch
    clock.advanceTo(1_050);
    batches[3].handle.complete();
    await flush();
    expect(trigger.fallingBehind).toBe(2);
    expect(batches).toHaveLength(5);
    expect(batches[4].handle.startedUs).toBe(1_050);
    clock.advanceTo(1_060);
    batches[4].handle.complete();
    await flush();
    expect(batches).toHaveLength(5); // not one per missed grid point 600..1000
    clock.advanceTo(1_100);
    await flush();
    expect(batches).toHaveLength(6);
    expect(batches[5].handle.startedUs).toBe(1_100);
    batches[5].handle.complete();
    await trigger.stop();
    expect(batches.map((b) => b.handle.startedUs)).toEqual([100, 350, 400, 500, 1_050, 1_100]);
  });

  it('stop() while waiting for the grid cancels the wait and ends the loop', async () => {
    const clock = new ManualClock(0);
    const trigger = new ProcessingTimeTrigger(clock, 100, async () => {});
    let plans = 0;
    trigger.execute(() => {
      plans++;
      return null;
    });
    await flush();
    expect(clock.pendingTimers).toBe(1);
    await trigger.stop();
    expect(clock.pendingTimers).toBe(0);
    clock.advanceTo(1_000);
    await flush();
    expect(plans).toBe(0);
  });

  it('stop() awaits the running batch and plans no further batch', async () => {
    const clock = new ManualClock(0);
    const trigger = new ProcessingTimeTrigger(clock, 0, async () => {});
    const handles: ManualJob[] = [];
    trigger.execute(() => {
      const h = manualJob(clock);
      handles.push(h);
      return h.job;
    });
    await flush();
    let stopped = false;
    const stopping = trigger.stop().then(() => {
      stopped = true;
    });
    await flush();
    expect(stopped).toBe(false);
    handles[0].complete();
    await stopping;
    expect(stopped).toBe(true);
    expect(handles).toHaveLength(1);
  });
});

describe('FixedGridTrigger failure and stop edge cases', () => {
  it('does not run or re-arm after the planner stops the trigger', async () => {
    const clock = new ManualClock(0);
    const trigger = new FixedGridTrigger(clock, 100, 0);
    let ran = 0;
    trigger.execute(() => {
      void trigger.stop();
      return async () => {
        ran++;
      };
    });
    clock.advanceTo(500);
    await Promise.resolve();
    expect(ran).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a failed batch stops the trigger: the jobs queued behind it never run and no tick fires', async () => {
    const clock = new ManualClock(0);
    const trigger = new FixedGridTrigger(clock, 100, 0);
    const queued: ManualJob[] = [];
    let fail: (error: Error) => void = () => {
      throw new Error('job 1 not started');
    };
    trigger.execute((due) => {
      if (due === 100) return () => new Promise<void>((_, reject) => (fail = reject));
      const j = manualJob(clock);
      queued.push(j);
      return j.job;
    });
    clock.advanceTo(300); // job 1 runs, jobs 2 and 3 queue behind it
    await flush();
    expect(trigger.queued).toBe(2);
    fail(new Error('batch 1 threw'));
    await flush();
    expect(queued.map((j) => j.startedUs)).toEqual([undefined, undefined]);
    expect(clock.pendingTimers).toBe(0);
    clock.advanceTo(1_000);
    await flush();
    expect(queued).toHaveLength(2);
    expect(queued.map((j) => j.startedUs)).toEqual([undefined, undefined]);
    await expect(trigger.stop()).rejects.toThrow('batch 1 threw');
  });

  it('stop() before execute() resolves', async () => {
    const clock = new ManualClock(0);
    await expect(new FixedGridTrigger(clock, 100).stop()).resolves.toBeUndefined();
    expect(clock.pendingTimers).toBe(0);
  });

  it('reports a failed batch job from stop() and stops ticking', async () => {
    const clock = new ManualClock(0);
    const trigger = new FixedGridTrigger(clock, 100, 0);
    let planned = 0;
    trigger.execute(() => {
      planned++;
      return () => Promise.reject(new Error('batch task threw'));
    });
    clock.advanceTo(100);
    for (let i = 0; i < 5; i++) await Promise.resolve();
    clock.advanceTo(1000);
    expect(planned).toBe(1);
    await expect(trigger.stop()).rejects.toThrow('batch task threw');
  });
});
