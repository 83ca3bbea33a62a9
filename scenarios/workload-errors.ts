/**
 * Turns what the workload schema (zod issues) and the cross-field checks found wrong into
 * one line per problem: `path: found X; accepted: Y`, e.g.
 * `pipeline[2].op: found 'frobnicate'; accepted: map, filter, flatMap, …`.
 */
import type * as z from 'zod';
import { ACCEPTED_PREFIX } from './workload-schema.js';
import type { WorkloadProblem } from './workload-checks.js';

/** Problems shown per file; past that, one line says how many more there are. */
export const MAX_PROBLEM_LINES = 5;

/** `pipeline[2].op` for ['pipeline', 2, 'op']; '' for the file itself. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

/** A found value as an error line shows it: strings quoted, objects and lists named. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  object: 'an object',
  array: 'a list',
  boolean: 'true or false',
};

/** Lines for the schema's issues, in the order zod found them. */
export function issueLines(issues: readonly z.core.$ZodIssue[]): WorkloadProblem[] {
  return issues.flatMap((issue): WorkloadProblem[] => {
    const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
    const input = (issue as { input?: unknown }).input;
    const custom = issue.message.startsWith(ACCEPTED_PREFIX) ? issue.message.slice(ACCEPTED_PREFIX.length) : undefined;
    const found = (accepted: string): string => `${input === undefined ? 'missing' : `found ${showValue(input)}`}; accepted: ${custom ?? accepted}`;
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({ path: [...path, key], message: `unknown field; accepted: ${custom ?? 'none'}` }));
      case 'invalid_type':
        return [{ path, message: found(TYPE_NAMES[issue.expected] ?? issue.expected) }];
      case 'invalid_value':
        return [{ path, message: found(issue.values.map((v) => String(v)).join(', ')) }];
      case 'invalid_union': {
        if ('discriminator' in issue && typeof issue.discriminator === 'string') {
          const given = input !== null && typeof input === 'object' ? (input as Record<string, unknown>)[issue.discriminator] : undefined;
          const options = ((issue as { options?: unknown[] }).options ?? []).filter((v) => v !== undefined && v !== null).map(String);
          return [{ path, message: `${given === undefined ? 'missing' : `found ${showValue(given)}`}; accepted: ${options.join(', ')}` }];
        }
        return [{ path, message: found(custom ?? 'another value') }];
      }
      case 'too_small':
        return [{ path, message: found(bound('at least', 'greater than', issue.minimum, issue.inclusive, issue.origin)) }];
      case 'too_big':
        return [{ path, message: found(bound('at most', 'less than', issue.maximum, issue.inclusive, issue.origin)) }];
      case 'invalid_format':
        return [{ path, message: found(issue.message) }];
      default:
        return [{ path, message: issue.message }];
    }
  });
}

/** 'a number greater than 0', 'at most 1', 'at least 1 item', … */
function bound(inclusiveWord: string, exclusiveWord: string, limit: number | bigint, inclusive: boolean | undefined, origin: string): string {
  const comparison = `${inclusive === false ? exclusiveWord : inclusiveWord} ${String(limit)}`;
  if (origin === 'array') return `a list of ${comparison} item${limit === 1 ? '' : 's'}`;
  if (origin === 'string') return `a text of ${comparison} characters`;
  return `a number ${comparison}`;
}

/** The lines a report shows: `label: path: message` each, at most {@link MAX_PROBLEM_LINES} and a count of the rest. */
export function problemLines(label: string, problems: readonly WorkloadProblem[]): string[] {
  const lines = problems.slice(0, MAX_PROBLEM_LINES).map((p) => {
    const path = formatPath(p.path);
    return path === '' ? `${label}: ${p.message}` : `${label}: ${path}: ${p.message}`;
  });
  const more = problems.length - MAX_PROBLEM_LINES;
  if (more > 0) lines.push(`${label}: and ${more} more problem${more === 1 ? '' : 's'}`);
  return lines;
}
