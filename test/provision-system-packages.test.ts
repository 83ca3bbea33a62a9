/**
 * Test provisioning (test/provision/system-packages.mjs) decided from injected facts (root?
 * apt-get? which binaries exist?) and carried out through an injected command runner: no apt
 * command runs here. The real fresh-machine path is `npm test` itself.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SYSTEM_COMPONENTS, planProvisioning, provision } from './provision/system-packages.mjs';
import type { ProvisionEnvironment, SystemComponent } from './provision/system-packages.mjs';

const CHROMIUM: SystemComponent = { binary: '/usr/bin/chromium', debianPackage: 'chromium', neededBy: ['test/report-browser.test.ts'] };
const REDIS: SystemComponent = { binary: '/usr/bin/redis-server', debianPackage: 'redis-server', neededBy: ['test/broker.test.ts'] };

interface FakeMachine extends ProvisionEnvironment {
  /** Every command run, as one string each. */
  readonly ran: string[];
  /** Every line printed. */
  readonly printed: string[];
}

/**
 * A machine with `present` binaries: `apt-get install` puts the listed packages' binaries in
 * place (unless `installs` is false) and each command exits with `status[command line]` or 0.
 */
function machine(facts: { isRoot: boolean; hasAptGet: boolean; present?: string[]; installs?: boolean; status?: Record<string, number> }): FakeMachine {
  const present = new Set(facts.present ?? []);
  const ran: string[] = [];
  const printed: string[] = [];
  return {
    isRoot: facts.isRoot,
    hasAptGet: facts.hasAptGet,
    ran,
    printed,
    exists: (binary) => present.has(binary),
    run(command, args) {
      const line = [command, ...args].join(' ');
      ran.push(line);
      const status = facts.status?.[line] ?? 0;
      if (status === 0 && args[0] === 'install' && facts.installs !== false) {
        for (const c of [CHROMIUM, REDIS]) if (args.includes(c.debianPackage)) present.add(c.binary);
      }
      return status;
    },
    print: (line) => printed.push(line),
  };
}

const NOT_ROOT_LINE =
  "streambench tests need Debian's chromium (/usr/bin/chromium, for test/report-browser.test.ts): run `sudo apt-get update && sudo apt-get install -y chromium` and re-run npm test";

describe('test provisioning of system packages', () => {
  it('does nothing when every binary is present, even without root or apt-get', () => {
    for (const facts of [{ isRoot: true, hasAptGet: true }, { isRoot: false, hasAptGet: false }]) {
      const m = machine({ ...facts, present: [CHROMIUM.binary] });
      expect(planProvisioning([CHROMIUM], m)).toEqual({ action: 'none', missing: [] });
      expect(provision([CHROMIUM], m)).toBe(0);
      expect(m.ran).toEqual([]);
      expect(m.printed).toEqual([]);
    }
  });

  it('as root with apt-get, runs apt-get update then a no-recommends install, and succeeds once the binary exists', () => {
    const m = machine({ isRoot: true, hasAptGet: true });
    expect(provision([CHROMIUM], m)).toBe(0);
    expect(m.ran).toEqual(['apt-get update', 'apt-get install -y --no-install-recommends chromium']);
    expect(m.printed).toEqual([
      "streambench tests need Debian's chromium (/usr/bin/chromium, for test/report-browser.test.ts): installing it with `apt-get update && apt-get install -y --no-install-recommends chromium`",
    ]);
    expect(m.exists(CHROMIUM.binary)).toBe(true);
  });

  it('installs only what is missing, every missing package in one install (adding a component is one list line)', () => {
    const m = machine({ isRoot: true, hasAptGet: true, present: [CHROMIUM.binary] });
    expect(planProvisioning([CHROMIUM, REDIS], m)).toEqual({
      action: 'install',
      missing: [REDIS],
      commands: [
        { command: 'apt-get', args: ['update'] },
        { command: 'apt-get', args: ['install', '-y', '--no-install-recommends', 'redis-server'] },
      ],
    });
    const bare = machine({ isRoot: true, hasAptGet: true });
    expect(provision([CHROMIUM, REDIS], bare)).toBe(0);
    expect(bare.ran).toEqual(['apt-get update', 'apt-get install -y --no-install-recommends chromium redis-server']);
  });

  it('not root: runs nothing and prints one line naming the package and the sudo command', () => {
    const m = machine({ isRoot: false, hasAptGet: true });
    expect(provision([CHROMIUM], m)).toBe(1);
    expect(m.ran).toEqual([]);
    expect(m.printed).toEqual([NOT_ROOT_LINE]);
  });

  it('no apt-get: runs nothing and prints the same one line (without sudo when already root)', () => {
    const user = machine({ isRoot: false, hasAptGet: false });
    expect(provision([CHROMIUM], user)).toBe(1);
    expect(user.ran).toEqual([]);
    expect(user.printed).toEqual([NOT_ROOT_LINE]);

    const root = machine({ isRoot: true, hasAptGet: false });
    expect(provision([CHROMIUM], root)).toBe(1);
    expect(root.ran).toEqual([]);
    expect(root.printed).toEqual([
      "streambench tests need Debian's chromium (/usr/bin/chromium, for test/report-browser.test.ts): run `apt-get update && apt-get install -y chromium` and re-run npm test",
    ]);
  });

  it('names every missing package in the one line', () => {
    const m = machine({ isRoot: false, hasAptGet: true });
    expect(provision([CHROMIUM, REDIS], m)).toBe(1);
    expect(m.printed).toHaveLength(1);
    expect(m.printed[0]).toContain('chromium (/usr/bin/chromium, for test/report-browser.test.ts) and redis-server (/usr/bin/redis-server, for test/broker.test.ts)');
    expect(m.printed[0]).toContain('`sudo apt-get update && sudo apt-get install -y chromium redis-server`');
  });

  it('stops at the first failing apt-get command and fails with the command and its exit status', () => {
    const m = machine({ isRoot: true, hasAptGet: true, status: { 'apt-get update': 100 } });
    expect(provision([CHROMIUM], m)).toBe(1);
    expect(m.ran).toEqual(['apt-get update']);
    expect(m.printed.at(-1)).toBe(
      "streambench tests need Debian's chromium (/usr/bin/chromium, for test/report-browser.test.ts): run `apt-get update && apt-get install -y chromium` and re-run npm test (`apt-get update` exited with 100)",
    );
  });

  it('fails when apt-get succeeds but the binary is still missing', () => {
    const m = machine({ isRoot: true, hasAptGet: true, installs: false });
    expect(provision([CHROMIUM], m)).toBe(1);
    expect(m.ran).toHaveLength(2);
    expect(m.printed.at(-1)).toBe(
      "streambench tests need Debian's chromium (/usr/bin/chromium, for test/report-browser.test.ts): apt-get installed chromium but /usr/bin/chromium is still missing",
    );
  });

  it('lists chromium for the browser test and redis-server for the broker tests, and every listed test exists and uses its binary', () => {
    expect(SYSTEM_COMPONENTS.map((c) => c.debianPackage)).toEqual(['chromium', 'redis-server']);
    expect(SYSTEM_COMPONENTS[0]).toEqual(CHROMIUM);
    for (const component of SYSTEM_COMPONENTS) {
      for (const test of component.neededBy) {
        expect(readFileSync(new URL(`../${test}`, import.meta.url), 'utf8'), test).toContain(component.binary);
      }
    }
  });
});
