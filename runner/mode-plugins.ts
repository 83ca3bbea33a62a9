/**
 * Modes of one's own: `--mode ./my-mode.js` names an ES module that exports a mode
 * descriptor (`export default defineMode({...})`, or a named export `mode`). It is checked
 * on load (the shape of its descriptor) and registered beside the built-in modes, so the run,
 * the sweep, the gate and every report treat it as one of them. Each trial's child process
 * loads it again from the same file (`TrialSpec.modeModule`).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { modes, type ModeDescriptor } from '../engines/index.js';
import { descriptorProblem } from '../engines/mode.js';
import { UsageError } from '../primitives/usage-error.js';

/** The file each loaded plugin mode came from, by mode id. */
const loadedFrom = new Map<string, string>();

/** Whether a `--mode` item names a module file rather than a registered mode id. */
export function isModePath(item: string): boolean {
  return item.includes('/') || item.includes('\\') || /\.(m?js|cjs)$/.test(item);
}

/** The module file a plugin mode was loaded from (absolute), or undefined for a built-in mode. */
export function modeModuleOf(id: string): string | undefined {
  return loadedFrom.get(id);
}

/**
 * Loads the plugin mode in `file` (relative to `cwd`), checks it and registers it; returns its
 * id. Loading the same file again returns the same id. Every problem is a {@link UsageError}
 * that names `--mode`, the file and the fix.
 */
export async function loadModePlugin(file: string, cwd = process.cwd()): Promise<string> {
  const path = resolve(cwd, file);
  for (const [id, from] of loadedFrom) if (from === path) return id;
  if (!existsSync(path)) throw new UsageError(`--mode ${file}: no such file (${path}); give the path of an ES module that exports a mode descriptor`);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`--mode ${file}: the module failed to load: ${firstLine(error)}`);
  }
  const descriptor = module.default ?? module.mode;
  if (descriptor === undefined) throw new UsageError(`--mode ${file}: the module exports no mode; add \`export default defineMode({ id, … })\` (see README, "Write your own mode")`);
  const problem = descriptorProblem(descriptor);
  if (problem) throw new UsageError(`--mode ${file}: its mode descriptor is malformed: ${problem}`);
  const mode = descriptor as ModeDescriptor;
  const taken = modes.get(mode.id);
  if (taken && taken !== mode) throw new UsageError(`--mode ${file}: its id '${mode.id}' is already a mode's (${loadedFrom.get(mode.id) ?? 'built in'}); give the plugin another id`);
  if (!taken) modes.register(mode);
  loadedFrom.set(mode.id, path);
  return mode.id;
}

/**
 * `argv` with every `--mode` item that names a module replaced by the id of the mode it
 * registers (after loading it), so the option parser sees only mode ids.
 */
export async function loadModePluginsIn(argv: readonly string[], cwd = process.cwd()): Promise<string[]> {
  const out = [...argv];
  for (let i = 0; i < out.length; i++) {
    const inline = /^--mode=(.*)$/.exec(out[i]);
    const valueAt = inline ? i : out[i] === '--mode' && i + 1 < out.length ? i + 1 : -1;
    if (valueAt < 0) continue;
    const items = (inline ? inline[1] : out[valueAt]).split(',').map((item) => item.trim());
    const ids: string[] = [];
    for (const item of items) ids.push(item !== '' && isModePath(item) ? await loadModePlugin(item, cwd) : item);
    out[valueAt] = inline ? `--mode=${ids.join(',')}` : ids.join(',');
    if (!inline) i = valueAt;
  }
  return out;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
