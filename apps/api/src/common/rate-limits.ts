import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, ConfigModule, type AppConfig } from '@pvefleet/config';
import type { Identity } from '../auth/identity';

const MINUTE_MS = 60_000;

/**
 * Requests per minute per token (per client address before a token is known), with Retry-After on
 * a 429. Counted in this API process; runs after authentication, which limits failed logins itself.
 */
export const RateLimitModule = ThrottlerModule.forRootAsync({
  imports: [ConfigModule],
  inject: [APP_CONFIG],
  useFactory: (c: AppConfig) => ({
    throttlers: [{ name: 'default', ttl: MINUTE_MS, limit: c.api.rateLimitPerMinute }],
    skipIf: () => c.api.rateLimitPerMinute === 0,
  }),
});

@Injectable()
export class TokenRateLimitGuard extends ThrottlerGuard {
  protected override getTracker(req: { identity?: Identity; ip?: string }): Promise<string> {
    return Promise.resolve(req.identity ? `token:${req.identity.id}` : `address:${req.ip ?? '?'}`);
  }

  protected override shouldSkip(ctx: ExecutionContext): Promise<boolean> {
    // Health probes (load balancers, orchestrators) are never limited.
    return Promise.resolve(ctx.getClass().name === 'HealthController');
  }
}
