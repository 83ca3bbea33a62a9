/**
 * Provisions the system components that `npm test` needs and npm cannot install, before the
 * build: a component that is present costs nothing; a missing one is installed with Debian's
 * apt-get when this process is root and apt-get exists; otherwise this prints one line naming
 * the package and the command to run, and exits 1. It never skips a test: the tests that need
 * a component still fail on their own if it is absent.
 *
 * Plain Node ESM with no dependencies, because it runs before TypeScript is compiled
 * (`npm test` = this script, then `npm run build`, then vitest). `npm run bench` needs no
 * system package and does not run it. Typed by `system-packages.d.mts`; decision logic tested
 * by `test/provision-system-packages.test.ts` with injected facts and command runner.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The system components the tests need, one line each: the binary the tests run (absolute
 * path), the Debian package that provides it, and the tests that need it. To add one when a
 * test first needs it, add its line (every listed package is installed by `npm test`).
 * @type {readonly import('./system-packages.d.mts').SystemComponent[]}
 */
export const SYSTEM_COMPONENTS = Object.freeze([
  { binary: '/usr/bin/chromium', debianPackage: 'chromium', neededBy: ['test/report-browser.test.ts'] },
  {
    binary: '/usr/bin/redis-server',
    debianPackage: 'redis-server',
    neededBy: ['test/broker-modes.test.ts', 'test/broker-faults.test.ts', 'test/broker-cluster.test.ts', 'test/broker-bad-input.test.ts'],
  },
]);

/** The apt-get commands that install `packages` (what root runs here, without recommends). */
export function aptCommands(packages) {
  return [
    { command: 'apt-get', args: ['update'] },
    { command: 'apt-get', args: ['install', '-y', '--no-install-recommends', ...packages] },
  ];
}

/** "Debian's chromium (/usr/bin/chromium, for test/report-browser.test.ts)", joined with "and". */
function describe(components) {
  const each = components.map((c) => `${c.debianPackage} (${c.binary}, for ${c.neededBy.join(', ')})`);
  return `Debian's ${each.join(' and ')}`;
}

/** The one line for a user who must install `missing` by hand (`sudo` unless already root). */
export function manualMessage(missing, { isRoot }) {
  const sudo = isRoot ? '' : 'sudo ';
  const packages = missing.map((c) => c.debianPackage).join(' ');
  return `streambench tests need ${describe(missing)}: run \`${sudo}apt-get update && ${sudo}apt-get install -y ${packages}\` and re-run npm test`;
}

/**
 * What to do, from the facts alone: `none` when every binary exists; `install` (the apt-get
 * commands) when some are missing and this process is root with apt-get; else `manual` with
 * the one-line message.
 * @param {readonly import('./system-packages.d.mts').SystemComponent[]} components
 * @param {Pick<import('./system-packages.d.mts').ProvisionEnvironment, 'exists' | 'isRoot' | 'hasAptGet'>} facts
 * @returns {import('./system-packages.d.mts').ProvisionPlan}
 */
export function planProvisioning(components, facts) {
  const missing = components.filter((c) => !facts.exists(c.binary));
  if (missing.length === 0) return { action: 'none', missing };
  if (facts.isRoot && facts.hasAptGet) {
    return { action: 'install', missing, commands: aptCommands(missing.map((c) => c.debianPackage)) };
  }
  return { action: 'manual', missing, message: manualMessage(missing, facts) };
}

/**
 * Carries out the plan: runs its commands through `env.run`, stops at the first that fails,
 * then checks that every binary now exists. Returns the exit code (0 ready, 1 not).
 * @param {readonly import('./system-packages.d.mts').SystemComponent[]} components
 * @param {import('./system-packages.d.mts').ProvisionEnvironment} env
 */
export function provision(components, env) {
  const plan = planProvisioning(components, env);
  if (plan.action === 'none') return 0;
  if (plan.action === 'manual') {
    env.print(plan.message);
    return 1;
  }
  const line = plan.commands.map((c) => [c.command, ...c.args].join(' ')).join(' && ');
  env.print(`streambench tests need ${describe(plan.missing)}: installing it with \`${line}\``);
  for (const { command, args } of plan.commands) {
    const status = env.run(command, args);
    if (status !== 0) {
      env.print(`${manualMessage(plan.missing, env)} (\`${command} ${args.join(' ')}\` exited with ${status})`);
      return 1;
    }
  }
  const still = plan.missing.filter((c) => !env.exists(c.binary));
  if (still.length > 0) {
    env.print(`streambench tests need ${describe(still)}: apt-get installed ${still.map((c) => c.debianPackage).join(' ')} but ${still.map((c) => c.binary).join(' ')} is still missing`);
    return 1;
  }
  return 0;
}

/** True when `path` is an executable file for this process. */
function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The real facts and effects of this machine: uid, apt-get on PATH, binaries, apt-get run non-interactively. */
export function systemEnvironment() {
  return {
    isRoot: process.getuid?.() === 0,
    hasAptGet: (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && executable(join(dir, 'apt-get'))),
    exists: executable,
    run(command, args) {
      const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
      return result.status ?? 1;
    },
    print: (line) => process.stderr.write(`${line}\n`),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exitCode = provision(SYSTEM_COMPONENTS, systemEnvironment());
  } catch (error) {
    process.stderr.write(`streambench test provisioning failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
