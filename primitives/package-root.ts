/**
 * The package root, found from this module's own place: `<root>/primitives/package-root.ts`
 * under vitest, `<root>/dist/primitives/package-root.js` when compiled. Files that ship with
 * the package but are not compiled (the built-in workload files, their JSON Schema) are read
 * relative to it, so they are found wherever the package is installed.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

/** Absolute path of the package root. */
export const packageRoot = here.endsWith('.ts') ? dirname(dirname(here)) : dirname(dirname(dirname(here)));

/** Absolute path of a file shipped with the package, from its path relative to the root. */
export function packageFile(...segments: string[]): string {
  return join(packageRoot, ...segments);
}
