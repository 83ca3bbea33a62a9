/**
 * The names and literals of one generated function's source (a {@link FragmentScope}): each
 * bound value becomes a parameter of the function's factory, each local a fresh name, each
 * constant an exact literal. The source it helps write depends only on the names, never on
 * the values bound, so the same pipeline yields the same source in every partition task and
 * its compiled factory is reused (`compile-source.ts`).
 */
import type { FragmentScope } from '../operators/fragment.js';

/** Collects a generated function's bindings and hands out unique names. */
export class CodeScope implements FragmentScope {
  /** The bound names, in order: the factory's parameters. */
  readonly names: string[] = [];
  /** The bound values, in the same order: the factory's arguments. */
  readonly values: unknown[] = [];
  private counter = 0;

  bind(hint: string, value: unknown): string {
    const name = `${identifier(hint)}$${this.counter++}`;
    this.names.push(name);
    this.values.push(value);
    return name;
  }

  local(hint: string): string {
    return `${identifier(hint)}$${this.counter++}`;
  }

  literal(value: number): string {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`code generation: ${String(value)} is not a finite number`);
    if (Object.is(value, -0)) return '(-0)';
    return value < 0 ? `(${String(value)})` : String(value);
  }
}

/**
 * A safe identifier stem from a hint: letters, digits and underscores, never starting with a
 * digit. A name is the stem, `$` and a counter unique in the scope, so it cannot clash with
 * another name of the scope, nor with the compiler's own fixed names (which have no `$`).
 */
function identifier(hint: string): string {
  const cleaned = hint.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}
