/**
 * The `--scenario` list: each item a built-in scenario's name or a workload file's path
 * (`./my-workload.yaml`), read and validated here, once, before anything runs. A file's
 * scenario is known by its `name` from then on (results, digests, tables), and travels to
 * the trial's child process and the fused-reference thread inside the {@link TrialSpec}.
 */
import { resolve } from 'node:path';
import { UsageError } from '../primitives/usage-error.js';
import { builtinScenarios, findScenario, isWorkloadPath, loadWorkloadFile, WORKLOAD_EXTENSIONS, type Scenario } from '../scenarios/index.js';

/** The scenarios a `--scenario` list selects. */
export interface ScenarioSelection {
  /** Every item's scenario name, in the order given. */
  names: string[];
  /** The scenarios read from workload files (built-ins are looked up by name). */
  workloads: Scenario[];
}

/** Scenarios defined in this process (the library's `defineScenario`), by name: found like built-ins, carried to trials like files. */
const defined = new Map<string, Scenario>();

/** Makes `scenario` selectable by its name in this process; a built-in's name, or a different scenario under a name already defined, is an error. */
export function registerScenario(scenario: Scenario): void {
  if (builtinScenarios().has(scenario.name)) throw new UsageError(`defineScenario: name: found '${scenario.name}', the name of a built-in scenario; accepted: a name of its own`);
  const earlier = defined.get(scenario.name);
  if (earlier && !sameScenario(earlier, scenario)) throw new UsageError(`defineScenario: name: found '${scenario.name}', which another defined scenario already has; accepted: a name of its own`);
  defined.set(scenario.name, scenario);
}

/** What `--scenario` accepts, for messages and help. */
export function acceptedScenarios(): string {
  return `${[...builtinScenarios().keys()].join(', ')}, or a workload file (${WORKLOAD_EXTENSIONS.join(', ')})`;
}

/** Parses a comma list of scenario names and workload file paths; throws {@link UsageError} on the first bad item. */
export function parseScenarioList(text: string, flag = '--scenario'): ScenarioSelection {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`${flag} is empty; accepted: ${acceptedScenarios()}`);
  const names: string[] = [];
  const workloads: Scenario[] = [];
  for (const item of items) {
    if (builtinScenarios().has(item)) {
      names.push(item);
      continue;
    }
    const own = defined.get(item);
    if (own) {
      if (!workloads.includes(own)) workloads.push(own);
      names.push(item);
      continue;
    }
    if (!isWorkloadPath(item)) throw new UsageError(`${flag}: unknown scenario '${item}'; accepted: ${acceptedScenarios()}`);
    const scenario = loadWorkloadFile(resolve(item), item);
    if (builtinScenarios().has(scenario.name)) {
      throw new UsageError(`${item}: name: found '${scenario.name}', the name of a built-in scenario; accepted: a name of its own (results know a scenario by its name)`);
    }
    const earlier = workloads.find((other) => other.name === scenario.name);
    if (earlier && !sameScenario(earlier, scenario)) {
      throw new UsageError(`${item}: name: found '${scenario.name}', which another --scenario file already has; accepted: a name of its own`);
    }
    if (!earlier) workloads.push(scenario);
    names.push(scenario.name);
  }
  return { names, workloads };
}

/** The named scenario of a run: from its workload files, else a built-in; throws if neither has it. */
export function scenarioOf(name: string, workloads: readonly Scenario[] | undefined): Scenario {
  const scenario = findScenario(name, workloads);
  if (!scenario) throw new UsageError(`unknown scenario '${name}'; accepted: ${acceptedScenarios()}`);
  return scenario;
}

function sameScenario(a: Scenario, b: Scenario): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
