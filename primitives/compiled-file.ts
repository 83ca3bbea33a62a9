import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from './package-root.js';

/**
 * Path of the compiled JavaScript for a module that must run in a thread or process of its
 * own (worker threads cannot load TypeScript). `fromUrl` is the caller's `import.meta.url`.
 * From the build it is the sibling file; from sources (under vitest) it is the same path in
 * `dist/`, so `npm run build` must have run.
 */
export function compiledFile(fromUrl: string, relativeJs: string): string {
  const from = fileURLToPath(fromUrl);
  const target = resolve(dirname(from), relativeJs);
  if (!from.endsWith('.ts')) return target;
  const built = join(packageRoot, 'dist', relative(packageRoot, target));
  if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`);
  return built;
}
