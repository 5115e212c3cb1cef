import { SpecError } from './spec-error';

/** The SpecError that `fn` throws, typed for assertions on its fields; anything else thrown (or nothing) fails the test. */
export function specErrorOf(fn: () => unknown): SpecError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SpecError) return err;
    throw err;
  }
  throw new Error('expected a SpecError, but nothing was thrown');
}
