/**
 * Which test files import a source file directly: the tests a file's mutants are run against
 * in `npm run test:mutation` (one Stryker run per file, see `test/mutation/run.mjs`). Type-only
 * imports do not count (they are erased), nor do imports through another module: a mutant is
 * judged by the suites written for its file, not by whatever happens to execute it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Every `*.test.ts` under `dir`, relative to `root`, in a stable order. */
export function testFilesUnder(root, dir = 'test') {
  const out = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFilesUnder(root, rel));
    else if (entry.name.endsWith('.test.ts')) out.push(rel);
  }
  return out.sort();
}

/** The relative module specifiers a file imports at run time (static, re-export and dynamic). */
export function runtimeImports(source) {
  const specifiers = [];
  const patterns = [
    /\b(?:import|export)\s+(?!type\s)[^'";]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g,
    /\bimport\s*['"](\.{1,2}\/[^'"]+)['"]/g,
    /\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) specifiers.push(match[1]);
  return specifiers;
}

/** The test files (relative to `root`) that import `sourceFile` (relative to `root`) directly. */
export function importersOf(root, sourceFile, testFiles = testFilesUnder(root)) {
  const target = path.resolve(root, sourceFile);
  return testFiles.filter((testFile) => {
    const dir = path.dirname(path.resolve(root, testFile));
    return runtimeImports(readFileSync(path.resolve(root, testFile), 'utf8')).some((specifier) => path.resolve(dir, specifier).replace(/\.js$/, '.ts') === target);
  });
}
