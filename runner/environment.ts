import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { Environment } from '../primitives/results-schema.js';

/** The environment every result carries: Node, CPU, cores, OS and the checkout's git SHA. */
export function captureEnvironment(): Environment {
  let gitSha = 'unknown';
  try {
    gitSha = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // not a git checkout: leave 'unknown'
  }
  return {
    node: process.version,
    v8: process.versions.v8,
    os: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    totalMemoryMb: Math.round(os.totalmem() / 2 ** 20),
    gitSha,
  };
}
