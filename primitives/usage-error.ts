/**
 * Bad input from the user (a flag, a scenario, a baseline): reported as one clear message
 * naming the field and the fix, with exit code 2 and no stack trace.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
