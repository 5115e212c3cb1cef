import { ClassifiedError, type ErrorClass } from '@pvefleet/errors';

/**
 * A send that did not deliver, classified where it failed (the sender knows an HTTP status or an SMTP
 * reply): `retryable` and `timeout` are tried again, anything else is final.
 */
export class DeliveryFailure extends ClassifiedError {
  constructor(
    errorClass: ErrorClass,
    message: string,
    readonly httpStatus: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(errorClass, message, options);
    this.name = 'DeliveryFailure';
  }
}

/** Whether a failure of this class is worth another try. */
export const isWorthRetrying = (c: ErrorClass): boolean => c === 'retryable' || c === 'timeout';
