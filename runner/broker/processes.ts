/**
 * The processes of one trial through the broker: the system under test (`streambench serve`
 * for the trial's mode, or the user's `--sut` command with the contract's environment) and the
 * generator processes (`streambench generate --share i/N`). Each is tracked (killed with the
 * harness), its stderr tail kept, and an exit the trial did not ask for is reported with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { compiledFile } from '../../primitives/compiled-file.js';
import type { TrialSpec } from '../trial-spec.js';
import { sutEnvironment, type RunKeys } from './contract.js';
import { exited, stopChild, TailBuffer, track } from './children.js';
import type { SutChoice } from './broker-options.js';

/** A started process of the trial. */
export class TrialProcess {
  readonly tail = new TailBuffer();
  /** Set when the trial itself stops or kills it: its exit is then no failure. */
  expected = false;
  /** Resolves with a one-line description once it exits. */
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; line: string }>;

  constructor(readonly name: string, readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => this.tail.add(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.tail.add(chunk));
    this.exit = new Promise((resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, line: `${name} could not be started: ${error.message}` }));
      void exited(child).then(({ code, signal }) => {
        const last = this.tail.lastLine();
        resolve({ code, signal, line: `${name} exited (${signal ?? `code ${code}`})${last ? `: ${last}` : ''}` });
      });
    });
  }

  /** SIGKILL now (a fault), waiting until it is gone. */
  async kill(): Promise<void> {
    this.expected = true;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await exited(this.child);
  }

  /** Waits up to `graceMs` for it to exit by itself, then stops it. */
  async finish(graceMs: number): Promise<void> {
    this.expected = true;
    const timer = setTimeout(() => void stopChild(this.child), graceMs);
    await exited(this.child);
    clearTimeout(timer);
  }
}

/**
 * How the harness starts `serve` and `generate`: stdin a pipe from the harness, and
 * `STREAMBENCH_EXIT_WITH_PARENT` set, so the child exits when that pipe closes — also when the
 * harness itself was killed and could not stop it.
 */
const WITH_PARENT = { stdio: ['pipe', 'pipe', 'pipe'] as ('pipe')[], env: { ...process.env, STREAMBENCH_EXIT_WITH_PARENT: '1' } };

/** The compiled CLI (child processes load JavaScript). */
function cli(): string {
  return compiledFile(import.meta.url, '../../commands/cli.js');
}

/** How the system under test is described in results and messages. */
export function describeSut(sut: SutChoice, spec: TrialSpec): string {
  if (sut.kind === 'command') return sut.command;
  if (sut.kind === 'none') return 'none';
  return `serve --mode ${spec.mode}`;
}

/** Starts the system under test of a trial (nothing for `--sut none`). */
export function startSut(sut: SutChoice, spec: TrialSpec, url: string, keys: RunKeys, generators: number): TrialProcess | undefined {
  if (sut.kind === 'none') return undefined;
  if (sut.kind === 'serve') {
    const mode = spec.modeModule ?? spec.mode;
    const child = spawn(process.execPath, [cli(), 'serve', '--mode', mode, '--target', url, '--run', keys.run, '--quiet'], WITH_PARENT);
    return new TrialProcess(`the system under test (serve --mode ${spec.mode})`, track(child));
  }
  const child = spawn('sh', ['-c', sut.command], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...sutEnvironment(url, keys, generators) } });
  return new TrialProcess(`the system under test (${sut.command})`, track(child));
}

/** Starts generator process `share` of `count`. */
export function startGenerator(url: string, run: string, share: number, count: number): TrialProcess {
  const child = spawn(process.execPath, [cli(), 'generate', '--target', url, '--run', run, '--share', `${share}/${count}`, '--quiet'], WITH_PARENT);
  return new TrialProcess(`generator ${share}/${count}`, track(child));
}
