/**
 * How busy the rest of the machine was during an interval: CPU time used by every process
 * other than this one and its finished children (trial processes are children), from Linux
 * `/proc`. On a shared CI machine this tells a disturbed trial from a slow engine. Elsewhere
 * (no `/proc`) it measures nothing and returns undefined.
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  /** Machine-wide busy ticks (user, nice, system, irq, softirq, steal). */
  busy: number;
  /** Machine-wide ticks of every kind, idle included. */
  total: number;
  /** This process's ticks plus those of its waited-for children. */
  own: number;
}

function snapshot(): Snapshot | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = cpu;
    const self = readFileSync('/proc/self/stat', 'utf8');
    const fields = self.slice(self.lastIndexOf(')') + 2).split(' ').map(Number);
    // Fields after the command name start at field 3 (state): utime is field 14, cstime field 17.
    const own = fields[11] + fields[12] + fields[13] + fields[14];
    return { busy: user + nice + system + irq + softirq + (steal ?? 0), total: user + nice + system + idle + (iowait ?? 0) + irq + softirq + (steal ?? 0), own };
  } catch {
    return undefined;
  }
}

/** Waits (up to `limitMs`) until this process has no child processes left unreaped, so their CPU time is in ours. */
async function childrenReaped(limitMs = 1000): Promise<void> {
  const path = `/proc/self/task/${process.pid}/children`;
  for (let waited = 0; waited < limitMs; waited += 5) {
    let children = '';
    try {
      children = readFileSync(path, 'utf8').trim();
    } catch {
      return;
    }
    if (children === '') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Starts measuring; the returned function ends the interval (once finished child processes
 * have been reaped) and gives the average number of cores the rest of the machine kept busy
 * (0 = quiet, 1 = one core's worth), or undefined where `/proc` is not available.
 */
export function startContentionMeter(cores: number): () => Promise<number | undefined> {
  const before = snapshot();
  return async () => {
    if (!before) return undefined;
    await childrenReaped();
    const after = snapshot();
    if (!before || !after || after.total <= before.total) return undefined;
    const ticksPerCore = (after.total - before.total) / cores;
    return Math.max(0, after.busy - before.busy - (after.own - before.own)) / ticksPerCore;
  };
}
