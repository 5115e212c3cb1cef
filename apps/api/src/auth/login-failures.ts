import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import type { Response } from 'express';

const WINDOW_MS = 60_000;

/**
 * Failed logins per client address: past the limit in a minute, that address gets 429 for a
 * minute, whatever token it sends, so tokens cannot be guessed at network speed. Counted in the
 * rate limiter's storage.
 */
@Injectable()
export class LoginFailures {
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Throws 429 while the address is blocked. */
  check(address: string, res: Response): void {
    const until = this.blockedUntil.get(address);
    if (until === undefined) return;
    if (until <= Date.now()) {
      this.blockedUntil.delete(address);
      return;
    }
    this.refuse(res, until);
  }

  /** Counts a failed login; throws 429 once the address has failed too often. */
  async failed(address: string, res: Response): Promise<void> {
    const limit = this.config.api.authFailuresPerMinute;
    if (limit === 0) return;
    const { isBlocked } = await this.storage.increment(`login-failures:${address}`, WINDOW_MS, limit, WINDOW_MS, 'login-failures');
    if (!isBlocked) return;
    const until = Date.now() + WINDOW_MS;
    if (this.blockedUntil.size > 100_000) this.blockedUntil.clear();
    this.blockedUntil.set(address, until);
    this.refuse(res, until);
  }

  private refuse(res: Response, until: number): never {
    const seconds = Math.ceil((until - Date.now()) / 1000);
    res.setHeader('Retry-After', String(seconds));
    throw new HttpException(`too many failed logins from this address; retry in ${seconds} s`, HttpStatus.TOO_MANY_REQUESTS);
  }
}
