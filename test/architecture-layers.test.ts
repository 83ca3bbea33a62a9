/**
 * The one-way rule between the rooms (ARCHITECTURE.md, `.dependency-cruiser.cjs`), kept by
 * dependency-cruiser: the project's own sources have no back-import and no cycle, and the
 * same rules do catch both in a small tree that has them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const depcruise = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const config = join(root, '.dependency-cruiser.cjs');
const ROOMS = ['primitives', 'engines', 'scenarios', 'runner', 'reports', 'commands'];

/** Runs dependency-cruiser with the project's rules over `rooms` in `cwd`; its exit status and report. */
function cruise(cwd: string, rooms: readonly string[]): { status: number | null; report: string } {
  const result = spawnSync(process.execPath, [depcruise, ...rooms, '--config', config, '--output-type', 'err'], { cwd, encoding: 'utf8' });
  return { status: result.status, report: `${result.stdout}${result.stderr}` };
}

describe('the one-way layers', () => {
  it('hold in the project: no import against the layering, no cycle', () => {
    const { status, report } = cruise(root, ROOMS);
    expect(report).toMatch(/no dependency violations found/);
    expect(status).toBe(0);
  });

  const scratch = mkdtemp(join(tmpdir(), 'streambench-layers-'));
  afterAll(async () => rm(await scratch, { recursive: true, force: true }));

  it('are enforced: a back-import and a cycle each fail the check, naming the rule', async () => {
    const dir = await scratch;
    const files: Record<string, string> = {
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }),
      'primitives/clock.ts': "import { table } from '../reports/table.js';\nexport const clock = () => table;\n",
      'reports/table.ts': 'export const table = 1;\n',
      'runner/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'runner/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    };
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    const { status, report } = cruise(dir, ['primitives', 'reports', 'runner']);
    expect(status).not.toBe(0);
    expect(report).toMatch(/primitives-imports-down-only: primitives\/clock\.ts → reports\/table\.ts/);
    expect(report).toMatch(/no-circular: runner\/a\.ts →/);
  });
});
