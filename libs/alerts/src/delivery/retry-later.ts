/** Thrown by a delivery job whose try failed and may pass later: BullMQ retries it after `delayMs` (the row's next_attempt_at). */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}
