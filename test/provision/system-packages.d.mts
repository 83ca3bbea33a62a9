/** Types of `system-packages.mjs` (plain JavaScript, since it runs before the TypeScript build). */

/** A system binary some tests run, and the Debian package that provides it. */
export interface SystemComponent {
  /** Absolute path the tests run, e.g. `/usr/bin/chromium`. */
  readonly binary: string;
  /** Debian package that installs `binary`, e.g. `chromium`. */
  readonly debianPackage: string;
  /** Test files that need it (paths from the repository root). */
  readonly neededBy: readonly string[];
}

/** One command of a plan: a program and its arguments. */
export interface PlannedCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/** What provisioning decided, with the components found missing. */
export type ProvisionPlan =
  | { readonly action: 'none'; readonly missing: readonly SystemComponent[] }
  | { readonly action: 'install'; readonly missing: readonly SystemComponent[]; readonly commands: readonly PlannedCommand[] }
  | { readonly action: 'manual'; readonly missing: readonly SystemComponent[]; readonly message: string };

/** The facts provisioning decides from, and its effects (injected in tests). */
export interface ProvisionEnvironment {
  /** Whether this process runs as root. */
  readonly isRoot: boolean;
  /** Whether `apt-get` is on PATH. */
  readonly hasAptGet: boolean;
  /** Whether the binary at this path exists (and is executable). */
  exists(binary: string): boolean;
  /** Runs a command to completion; returns its exit status. */
  run(command: string, args: readonly string[]): number;
  /** Prints one line for the user. */
  print(line: string): void;
}

/** The components the tests need, one line each. */
export const SYSTEM_COMPONENTS: readonly SystemComponent[];
/** apt-get update, then apt-get install -y --no-install-recommends `packages`. */
export function aptCommands(packages: readonly string[]): PlannedCommand[];
/** The one-line message telling a user what to install and how. */
export function manualMessage(missing: readonly SystemComponent[], facts: { readonly isRoot: boolean }): string;
/** Decides from the facts alone. */
export function planProvisioning(components: readonly SystemComponent[], facts: Pick<ProvisionEnvironment, 'exists' | 'isRoot' | 'hasAptGet'>): ProvisionPlan;
/** Carries out the plan; returns the exit code (0 ready, 1 not). */
export function provision(components: readonly SystemComponent[], env: ProvisionEnvironment): number;
/** This machine's facts and effects. */
export function systemEnvironment(): ProvisionEnvironment;
