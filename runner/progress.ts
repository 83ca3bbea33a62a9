/**
 * Progress on long runs: one line on stderr, rewritten in place on a TTY; on a pipe (CI) one
 * line per trial, so logs stay short.
 */
import type { TrialProgress } from './run-trial.js';

export class Progress {
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(
    private readonly total: number,
    private readonly enabled: boolean,
  ) {}

  /** A trial starts. */
  begin(index: number, label: string): void {
    if (!this.enabled) return;
    if (this.tty) this.write(`[${index + 1}/${this.total}] ${label}`);
    else process.stderr.write(`[${index + 1}/${this.total}] ${label}\n`);
  }

  /** A running trial reports (TTY only). */
  update(index: number, label: string, progress: TrialProgress): void {
    if (!this.enabled || !this.tty) return;
    const percent = Math.min(100, Math.round((progress.elapsedSec / progress.totalSec) * 100));
    this.write(`[${index + 1}/${this.total}] ${label} ${progress.phase} ${percent}% backlog ${progress.backlog}`);
  }

  /** All trials are done. */
  end(): void {
    if (this.enabled && this.tty) process.stderr.write('\r\x1b[2K');
  }

  private write(line: string): void {
    process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns ?? 120) - 1)}`);
  }
}
