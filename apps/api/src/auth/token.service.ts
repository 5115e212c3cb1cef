import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { ConflictError, NotFoundError } from '@pvefleet/db';
import type { Identity } from './identity';
import { TokenRepository } from './token.repository';

export const ADMIN_USER = 'admin@pvefleet';
export const BOOTSTRAP_TOKEN = 'bootstrap';
const CACHE_MS = 10_000;

const hashSecret = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');
export const newTokenSecret = () => `pvf_${randomBytes(32).toString('base64url')}`;

/**
 * API tokens, stored as SHA-256 hashes only. Secrets are 256-bit random (or the operator's bootstrap
 * value), so a fast hash is enough; the raw secret is shown once, when created.
 */
@Injectable()
export class TokenService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');
  private readonly cache = new Map<string, { identity: Identity | null; until: number }>();

  constructor(
    @Inject(TokenRepository) private readonly repo: TokenRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The first admin token: from PVEFLEET_ADMIN_TOKEN, or made up and printed once on first start. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.adminToken) {
      const existing = await this.repo.find(ADMIN_USER, BOOTSTRAP_TOKEN);
      if (existing?.revoked_at) {
        // Revoking it was a decision: the environment variable must not quietly undo it at every start.
        this.logger.warn(
          `PVEFLEET_ADMIN_TOKEN is ignored: ${ADMIN_USER}!${BOOTSTRAP_TOKEN} was revoked at ${existing.revoked_at.toISOString()} and is never recreated; ` +
            'get a new admin token with POST /api/v1/tokens using a remaining one',
        );
        return;
      }
      await this.repo.upsertSecret(ADMIN_USER, BOOTSTRAP_TOKEN, hashSecret(this.config.adminToken));
      return;
    }
    if ((await this.repo.count()) > 0) return;
    const secret = newTokenSecret();
    // Another API process starting at the same time may have made it: then it printed its own.
    if (await this.repo.insert(ADMIN_USER, BOOTSTRAP_TOKEN, hashSecret(secret))) {
      // Printed exactly once: it is not stored anywhere in clear.
      this.logger.warn(`created the first admin token ${ADMIN_USER}!${BOOTSTRAP_TOKEN} (shown once): ${secret}`);
    }
  }

  async verify(secret: string): Promise<Identity | null> {
    const key = hashSecret(secret);
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return hit.identity;
    const found = await this.repo.findBySecretHash(key);
    const row = found && !found.revoked_at ? found : null;
    const identity = row ? { user: row.user, tokenName: row.token_name, id: `${row.user}!${row.token_name}` } : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { identity, until: Date.now() + CACHE_MS });
    if (row) {
      // Best effort: a missed "last used" stamp must not fail the request it belongs to.
      this.repo.touch(row.id).catch((err: unknown) => {
        this.logger.warn(`could not record the use of token ${identity?.id ?? '?'}: ${err instanceof Error ? err.message : String(err)}`);
      });
    }
    return identity;
  }

  async create(user: string, tokenName: string): Promise<{ id: string; token: string }> {
    const token = newTokenSecret();
    if (!(await this.repo.insert(user, tokenName, hashSecret(token))))
      throw new ConflictError(`token '${user}!${tokenName}' already exists`);
    return { id: `${user}!${tokenName}`, token };
  }

  async list(user: string, start: number, limit: number) {
    const { data, total } = await this.repo.pageActive(user, start, limit);
    return { data: data.map((r) => ({ id: `${r.user}!${r.token_name}`, createdAt: r.created_at, lastUsedAt: r.last_used_at })), total };
  }

  /**
   * Deletes a token, or marks the bootstrap token revoked (so PVEFLEET_ADMIN_TOKEN cannot bring it
   * back). The last usable token is never revoked: nobody could make another one.
   */
  async revoke(user: string, tokenName: string): Promise<void> {
    const outcome = await this.repo.revoke(user, tokenName, user === ADMIN_USER && tokenName === BOOTSTRAP_TOKEN);
    if (outcome === 'missing') throw new NotFoundError(`token '${user}!${tokenName}' does not exist`);
    if (outcome === 'last') {
      throw new ConflictError(
        `token '${user}!${tokenName}' is the last one: revoking it would leave no way to use the API; create another token first`,
      );
    }
    this.cache.clear();
  }
}
