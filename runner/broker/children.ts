/**
 * The processes a broker run starts (a private redis-server, `serve`, generators, a system
 * under test): each is tracked here so that none outlives the harness, whether the run ends,
 * fails, times out or is interrupted (SIGINT/SIGTERM): on exit every tracked child is killed.
 */
import type { ChildProcess } from 'node:child_process';

const tracked = new Set<ChildProcess>();
const cleanups = new Set<() => void>();
let installed = false;

function killAll(): void {
  for (const child of tracked) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  tracked.clear();
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // best effort on the way out
    }
  }
  cleanups.clear();
}

/** Runs `cleanup` (synchronous: e.g. removing a temp dir) if the process exits before {@link forget}. */
export function onExit(cleanup: () => void): void {
  install();
  cleanups.add(cleanup);
}

/** Drops a cleanup registered with {@link onExit} (it was done the ordinary way). */
export function forget(cleanup: () => void): void {
  cleanups.delete(cleanup);
}

/** Tracks `child` until it exits; the first call installs the exit and signal handlers. */
export function track(child: ChildProcess): ChildProcess {
  install();
  tracked.add(child);
  child.once('exit', () => tracked.delete(child));
  return child;
}

function install(): void {
  if (!installed) {
    installed = true;
    process.on('exit', killAll);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        killAll();
        process.exit(signal === 'SIGINT' ? 130 : 143);
      });
    }
  }
}

/** Resolves with the exit code (or signal) once `child` exits; at once if it has. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Asks `child` to stop (SIGTERM), then kills it (SIGKILL) if it has not exited after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

/** Keeps the last `lines` lines a child writes to a stream (for a one-line failure message). */
export class TailBuffer {
  private text = '';
  constructor(private readonly limit = 4096) {}
  add(chunk: Buffer | string): void {
    this.text = (this.text + chunk.toString()).slice(-this.limit);
  }
  /** The last non-empty line written, or ''. */
  lastLine(): string {
    const lines = this.text.split('\n').map((line) => line.trim()).filter(Boolean);
    return lines[lines.length - 1] ?? '';
  }
}
