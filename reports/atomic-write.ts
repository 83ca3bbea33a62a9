/**
 * Atomic file writes (DESIGN.md §7): data goes to a temporary file in the target's own
 * directory, is flushed to disk, and is then renamed over the target, so a reader sees
 * either the old file or the complete new one, never a partial one.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** One file of a set written by {@link writeFilesAtomic}. */
export interface FileToWrite {
  path: string;
  data: string | Uint8Array;
}

/** A fresh temporary path next to `path` (same directory, so the rename cannot cross file systems). */
function tempPathFor(path: string): string {
  const unique = `${process.pid}.${randomBytes(6).toString('hex')}`;
  return join(dirname(path), `.${basename(path)}.${unique}.tmp`);
}

/** Fails if `path` is an existing directory, which a rename could not replace. */
async function assertReplaceable(path: string): Promise<void> {
  const stats = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (stats?.isDirectory()) {
    throw Object.assign(new Error(`cannot write ${path}: a directory is in the way`), { code: 'EISDIR', path });
  }
}

/** Creates the directory of `path` if needed, then writes `data` to a new temporary file there and flushes it. */
async function writeTemp(path: string, data: string | Uint8Array): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await assertReplaceable(path);
  const temp = tempPathFor(path);
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await removeQuietly(temp);
    throw error;
  }
  await handle.close();
  return temp;
}

/** Removes a file, ignoring any error (it may never have been created). */
async function removeQuietly(path: string): Promise<void> {
  await rm(path, { force: true }).catch(() => undefined);
}

/**
 * Writes `data` to `path` atomically: to a temporary file in the same directory (created
 * if missing), then renamed over `path`. On failure no temporary file is left and `path`
 * keeps its previous content (or stays absent).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await writeFilesAtomic([{ path, data }]);
}

/** Throws if two entries name the same file, which would make the set's final content ambiguous. */
function assertDistinctPaths(files: readonly FileToWrite[]): void {
  const seen = new Set<string>();
  for (const { path } of files) {
    const absolute = resolve(path);
    if (seen.has(absolute)) throw new Error(`writeFilesAtomic: ${path} is listed twice`);
    seen.add(absolute);
  }
}

/**
 * Writes a set of files so that either all of them are replaced or none is: every file is
 * first written to a temporary file next to its target (directories are created as needed)
 * and only when all writes have succeeded are they renamed into place. If any write fails,
 * the temporary files already written are removed and the error is rethrown, leaving the
 * targets untouched.
 *
 * Each rename is atomic but the renames are done one after another; targets that are
 * existing directories (the usual cause of a failing rename) are rejected in the write phase.
 */
export async function writeFilesAtomic(files: readonly FileToWrite[]): Promise<void> {
  assertDistinctPaths(files);
  const temps: string[] = [];
  try {
    for (const file of files) temps.push(await writeTemp(file.path, file.data));
  } catch (error) {
    await Promise.all(temps.map(removeQuietly));
    throw error;
  }
  await renameAll(temps, files);
}

/** Renames each temporary file onto its target; on a failure removes the temporaries not yet renamed. */
async function renameAll(temps: readonly string[], files: readonly FileToWrite[]): Promise<void> {
  for (const [index, temp] of temps.entries()) {
    try {
      await rename(temp, files[index].path);
    } catch (error) {
      await Promise.all(temps.slice(index).map(removeQuietly));
      throw error;
    }
  }
}
