/**
 * streambench as a package: `npm pack`, install the tarball into a fresh project, and there
 * both the `streambench` bin (with a plugin mode of the project's own) and
 * `import { run } from 'streambench'` work.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** A plugin mode written against the installed package's public API only. */
const PLUGIN = `
import { allCommitted, defineMode, openPartitions, pollUntil, waitForInput } from 'streambench';
export default defineMode({
  id: 'project-mode', summary: "the project's own mode", order: 30, cadence: 'per-record', delivery: 'at-least-once',
  settings: [], knobs: {}, label: () => 'one thread',
  create(context) {
    let partitions = [], running = true, loop;
    const counts = new Int32Array(context.task.keys);
    return {
      async start() {
        partitions = openPartitions(context);
        loop = (async () => {
          while (running) {
            let read = 0;
            for (const p of partitions) read += p.poll((t, key, value) => {
              if (((value * 3 + 7) % 1000003) % 4 !== 0) p.output(t, key, ++counts[key]);
              p.emit();
            });
            if (read === 0) await waitForInput(context, partitions, 20);
          }
        })();
      },
      drain: (deadlineUs) => pollUntil(context.clock, () => allCommitted(context.log), deadlineUs),
      async stop() { running = false; await loop; return { partitions: partitions.map((p) => p.close()) }; },
      async terminate() { running = false; },
    };
  },
});
`;

const SCRIPT = `
import { run } from 'streambench';
const { results, exitCode } = await run({ mode: 'trigger', rate: '2k', duration: '0.5s', warmup: '0.2s' });
console.log(JSON.stringify({ exitCode, modes: results.runs.map((r) => r.mode), recordsOut: results.runs[0].recordsOut }));
`;

describe('the installed package', () => {
  it('packs, installs, and runs from the bin and the library in another project', () => {
    const work = mkdtempSync(join(tmpdir(), 'streambench-pack-'));
    const tarball = execFileSync(npm, ['pack', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!;
    const project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'a-project', private: true, type: 'module' }));
    execFileSync(npm, ['install', '--no-audit', '--no-fund', '--silent', join(work, tarball)], { cwd: project, encoding: 'utf8' });
    writeFileSync(join(project, 'm.mjs'), PLUGIN);
    writeFileSync(join(project, 'script.mjs'), SCRIPT);

    const cli = spawnSync('npx', ['streambench', 'run', '--scenario', 'steady', '--mode', 'micro-batch,./m.mjs', '--rate', '2k', '--duration', '0.5s', '--warmup', '0.2s', '--quiet', '--out', 'out'], { cwd: project, encoding: 'utf8' });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/project-mode one thread/);
    expect(cli.stdout).toMatch(/✓ match/);

    const library = spawnSync(process.execPath, ['script.mjs'], { cwd: project, encoding: 'utf8' });
    expect(library.stderr).toBe('');
    const printed = JSON.parse(library.stdout) as { exitCode: number; modes: string[]; recordsOut: number };
    expect(printed).toMatchObject({ exitCode: 0, modes: ['trigger'] });
    expect(printed.recordsOut).toBeGreaterThan(0);
  }, 180_000);
});
