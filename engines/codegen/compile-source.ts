/**
 * Turns generated source into functions: `new Function(...names, body)` gives a factory whose
 * parameters are the bound values (state, sink, source columns), called once per task. The
 * factory is cached per source, so every task of a thread that runs the same pipeline shares
 * one factory — and with it V8's feedback and optimized code for the functions it returns.
 *
 * With `STREAMBENCH_CODEGEN_DUMP=<dir>` in the environment, each distinct source is also
 * written to `<dir>/<label>.<hash>.js` when first compiled (worker threads and trial
 * processes inherit the variable), for reading what was generated.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The environment variable naming the folder generated sources are written to. */
export const CODEGEN_DUMP_ENV = 'STREAMBENCH_CODEGEN_DUMP';

type Factory = (...values: unknown[]) => unknown;

const factories = new Map<string, Factory>();

/** One generated function's factory source: its parameters, its body, and a label for dumps. */
export interface GeneratedSource {
  /** Names of the bound values, the factory's parameters. */
  names: readonly string[];
  /** The factory's body (it returns what the generated code exposes). */
  body: string;
  /** A readable name: the pipeline's operators and the part (e.g. `map-filter-keyedCount.head`). */
  label: string;
  /** Written as a comment at the top of a dump (e.g. the pipeline's specs). */
  comment: string;
}

/** Compiles (or finds compiled) `source` and calls its factory with `values`, in the order of `source.names`. */
export function instantiate<T>(source: GeneratedSource, values: readonly unknown[]): T {
  const key = `${source.names.join(',')}\n${source.body}`;
  let factory = factories.get(key);
  if (!factory) {
    factory = new Function(...source.names, source.body) as Factory;
    factories.set(key, factory);
    const dir = process.env[CODEGEN_DUMP_ENV];
    if (dir) dumpSource(dir, source, key);
  }
  return factory(...values) as T;
}

/** The factory as a file one can read (and run through a formatter): its comment, then `function factory(…) { body }`. */
export function renderSource(source: GeneratedSource): string {
  const comment = source.comment.split('\n').map((line) => `// ${line}`).join('\n');
  return `${comment}\nfunction factory(${source.names.join(', ')}) {\n${source.body}\n}\n`;
}

function dumpSource(dir: string, source: GeneratedSource, key: string): void {
  const hash = createHash('sha1').update(key).digest('hex').slice(0, 10);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${source.label}.${hash}.js`), renderSource(source));
}
