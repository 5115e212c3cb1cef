import { isErrorClass, type ErrorClass } from './error-class';

/** An error that knows its class. Thrown where a failure is understood; read by whoever decides. */
export class ClassifiedError extends Error {
  constructor(
    readonly errorClass: ErrorClass,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ClassifiedError';
  }
}

/**
 * The class of any thrown value: its own when it carries one (a ClassifiedError, or any error with an
 * `errorClass` property such as the SSH and database errors) when that is one of the classes,
 * otherwise `fallback`.
 */
export function errorClassOf(err: unknown, fallback: ErrorClass = 'permanent'): ErrorClass {
  if (err && typeof err === 'object' && 'errorClass' in err) {
    const c = err.errorClass;
    if (isErrorClass(c)) return c;
  }
  return fallback;
}

/** Message text for logs and exit statuses; never used to decide anything. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
