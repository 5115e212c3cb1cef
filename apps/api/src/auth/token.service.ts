import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { ConflictError, NotFoundError, Prisma, PrismaService } from '@pvefleet/db';
import type { Identity } from './identity';

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
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The first admin token: from PVEFLEET_ADMIN_TOKEN, or made up and printed once on first start. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.adminToken) {
      const where = { user_tokenName: { user: ADMIN_USER, tokenName: BOOTSTRAP_TOKEN } };
      const existing = await this.prisma.apiToken.findUnique({ where, select: { revokedAt: true } });
      if (existing?.revokedAt) {
        // Revoking it was a decision: the environment variable must not quietly undo it at every start.
        this.logger.warn(
          `PVEFLEET_ADMIN_TOKEN is ignored: ${ADMIN_USER}!${BOOTSTRAP_TOKEN} was revoked at ${existing.revokedAt.toISOString()} and is never recreated; ` +
            'get a new admin token with POST /api/v1/tokens using a remaining one',
        );
        return;
      }
      const secretHash = hashSecret(this.config.adminToken);
      await this.prisma.apiToken.upsert({
        where,
        create: { user: ADMIN_USER, tokenName: BOOTSTRAP_TOKEN, secretHash },
        update: { secretHash },
      });
      return;
    }
    if ((await this.prisma.apiToken.count()) > 0) return;
    const secret = newTokenSecret();
    try {
      await this.prisma.apiToken.create({ data: { user: ADMIN_USER, tokenName: BOOTSTRAP_TOKEN, secretHash: hashSecret(secret) } });
      // Printed exactly once: it is not stored anywhere in clear.
      this.logger.warn(`created the first admin token ${ADMIN_USER}!${BOOTSTRAP_TOKEN} (shown once): ${secret}`);
    } catch (err) {
      if (!(err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002')) throw err;
    }
  }

  async verify(secret: string): Promise<Identity | null> {
    const key = hashSecret(secret);
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return hit.identity;
    const found = await this.prisma.apiToken.findUnique({ where: { secretHash: key } });
    const row = found && !found.revokedAt ? found : null;
    const identity = row ? { user: row.user, tokenName: row.tokenName, id: `${row.user}!${row.tokenName}` } : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { identity, until: Date.now() + CACHE_MS });
    if (row) void this.prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
    return identity;
  }

  async create(user: string, tokenName: string): Promise<{ id: string; token: string }> {
    const token = newTokenSecret();
    try {
      await this.prisma.apiToken.create({ data: { user, tokenName, secretHash: hashSecret(token) } });
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
        throw new ConflictError(`token '${user}!${tokenName}' already exists`);
      }
      throw err;
    }
    return { id: `${user}!${tokenName}`, token };
  }

  async list(user: string) {
    const rows = await this.prisma.apiToken.findMany({ where: { user, revokedAt: null }, orderBy: { tokenName: 'asc' } });
    return rows.map((r) => ({ id: `${r.user}!${r.tokenName}`, createdAt: r.createdAt, lastUsedAt: r.lastUsedAt }));
  }

  /**
   * Deletes a token, or marks the bootstrap token revoked (so PVEFLEET_ADMIN_TOKEN cannot bring it
   * back). The last usable token is never revoked: nobody could make another one. One revocation at a
   * time (an advisory lock), so two callers cannot each revoke one of the last two.
   */
  async revoke(user: string, tokenName: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('pvefleet:api_token:revoke'))`;
      const token = await tx.apiToken.findFirst({ where: { user, tokenName, revokedAt: null }, select: { id: true } });
      if (!token) throw new NotFoundError(`token '${user}!${tokenName}' does not exist`);
      if ((await tx.apiToken.count({ where: { revokedAt: null } })) <= 1) {
        throw new ConflictError(
          `token '${user}!${tokenName}' is the last one: revoking it would leave no way to use the API; create another token first`,
        );
      }
      if (user === ADMIN_USER && tokenName === BOOTSTRAP_TOKEN)
        await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
      else await tx.apiToken.delete({ where: { id: token.id } });
    });
    this.cache.clear();
  }
}
