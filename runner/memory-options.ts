/**
 * The `run` flags of the memory chapter: `--cache` (the cache hint of scenarios whose pipeline
 * forks: `off`, `on`, or `off,on` to run both, like `--priority-lane`), `--memory-budget` (a
 * partition task's keyed and window state budget, spilling past it: `64MB`, `none`, or a list
 * such as `none,8MB` to run with and without) and `--spill-dir` (where spilled state goes;
 * default a temporary folder per trial, removed after). Each problem is a {@link UsageError}
 * naming the flag; a spill folder that cannot be written is refused before anything runs.
 */
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { branchOf } from '../engines/operators/branch.js';
import { MIN_BUDGET_BYTES } from '../engines/operators/budget-plan.js';
import { parseBytes } from '../primitives/units.js';
import { UsageError } from '../primitives/usage-error.js';
import type { Scenario } from '../scenarios/scenario.js';

/** Validated memory options of a run. */
export interface MemoryOptions {
  /** Cache hints to run the forking scenarios with; absent = each scenario's own. */
  caches?: boolean[];
  /** Memory budgets per partition task to run (bytes; null = none); absent = none. */
  budgets?: (number | null)[];
  /** Where spilled state goes (absolute); absent = a temporary folder per trial. */
  spillDir?: string;
}

/** The raw flag values ('' = not given). */
export interface MemoryFlagValues {
  cache: string;
  'memory-budget': string;
  'spill-dir': string;
}


/** Parses the flags against the chosen scenarios (a `--cache` setting needs a scenario that forks). */
export function parseMemoryFlags(values: MemoryFlagValues, scenarios: readonly Scenario[]): MemoryOptions {
  const options: MemoryOptions = {};
  const cache = values.cache.trim();
  if (cache !== '') {
    const items = cache.split(',').map((s) => s.trim()).filter(Boolean);
    for (const item of items) if (item !== 'off' && item !== 'on') throw new UsageError(`--cache: unknown setting '${item}'; accepted: off, on, off,on`);
    if (items.length === 0) throw new UsageError('--cache is empty; accepted: off, on, off,on');
    if (!scenarios.some((s) => branchOf(s.pipeline))) {
      throw new UsageError(`--cache: none of the scenarios (${scenarios.map((s) => s.name).join(', ')}) forks into branches; add one whose pipeline ends in a branch, e.g. --scenario cache`);
    }
    options.caches = [...new Set(items.map((item) => item === 'on'))];
  }
  const budget = values['memory-budget'].trim();
  if (budget !== '') {
    const budgets = budget.split(',').map((item) => {
      if (item.trim() === 'none') return null;
      const bytes = parseBytes(item);
      if (bytes === undefined) throw new UsageError(`--memory-budget: '${item}' is not a size; use e.g. 64MB, 512KB, 1GB (binary units), or none`);
      if (bytes < MIN_BUDGET_BYTES) throw new UsageError(`--memory-budget: '${item}' is below the smallest budget, 64KB`);
      return bytes;
    });
    options.budgets = [...new Set(budgets)];
  }
  const dir = values['spill-dir'].trim();
  if (dir !== '') {
    const budgeted = options.budgets ? options.budgets.some((b) => b !== null) : scenarios.some((s) => s.memoryBudgetBytes !== undefined);
    if (!budgeted) throw new UsageError('--spill-dir: only used with a memory budget (state spills past it); give one, e.g. --memory-budget 64MB');
    options.spillDir = checkSpillDir(resolve(dir));
  }
  return options;
}

/** Creates `dir` if needed and proves it writable (a probe file written and removed); returns it, or throws naming what failed. */
export function checkSpillDir(dir: string): string {
  const step = (what: string, action: () => void): void => {
    try {
      action();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(`--spill-dir ${dir}: cannot ${what} (${code ?? (error as Error).message}); give a folder this user can write, or leave the flag out for a temporary one`);
    }
  };
  step('create the folder', () => mkdirSync(dir, { recursive: true }));
  step('write into it', () => accessSync(dir, constants.W_OK));
  const probe = join(dir, `.streambench-probe-${process.pid}`);
  step('write a file in it', () => writeFileSync(probe, 'probe'));
  step('remove a file from it', () => rmSync(probe));
  return dir;
}

/** A fresh folder for one trial's spilled state, inside `root` (default the system's temporary folder). */
export function makeTrialSpillDir(root: string | undefined, tmp: string): string {
  return mkdtempSync(join(root ?? tmp, 'streambench-spill-'));
}
