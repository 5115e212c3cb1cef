import type { Logger } from '@nestjs/common';
import { errorMessage } from '@pvefleet/errors';

/** A loop that fails every second while Postgres is away says so once per this interval, with a count. */
const REPEAT_EVERY_MS = 30_000;

/**
 * Logs a background duty's failures without flooding: the first failure at once, then at most one
 * line per REPEAT_EVERY_MS saying how many followed, and one line when the duty works again.
 */
export class RepeatedFailureLog {
  private failingSince: number | null = null;
  private lastLoggedAt = 0;
  private unlogged = 0;

  constructor(
    private readonly logger: Logger,
    private readonly duty: string,
  ) {}

  failed(err: unknown): void {
    const now = Date.now();
    if (this.failingSince === null) {
      this.failingSince = now;
      this.lastLoggedAt = now;
      this.logger.warn(`${this.duty} failed: ${errorMessage(err)}`);
      return;
    }
    this.unlogged++;
    if (now - this.lastLoggedAt < REPEAT_EVERY_MS) return;
    this.logger.warn(
      `${this.duty} still failing after ${Math.round((now - this.failingSince) / 1000)} s (${this.unlogged} more failures): ${errorMessage(err)}`,
    );
    this.lastLoggedAt = now;
    this.unlogged = 0;
  }

  succeeded(): void {
    if (this.failingSince === null) return;
    this.logger.log(`${this.duty} works again after ${Math.round((Date.now() - this.failingSince) / 1000)} s`);
    this.failingSince = null;
    this.unlogged = 0;
  }
}
