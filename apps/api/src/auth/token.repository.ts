import { Inject, Injectable } from '@nestjs/common';
import { Db, type DB } from '@pvefleet/db';
import { sql, type Selectable } from 'kysely';

export type TokenRow = Selectable<DB['api_token']>;

/** What a revocation found: done, no such usable token, or it was the last usable one (kept). */
export type RevokeOutcome = 'revoked' | 'missing' | 'last';

/** Every statement on `api_token`. Secrets never reach it: only their SHA-256. */
@Injectable()
export class TokenRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  async find(user: string, tokenName: string): Promise<TokenRow | undefined> {
    return this.db.selectFrom('api_token').selectAll().where('user', '=', user).where('token_name', '=', tokenName).executeTakeFirst();
  }

  async findBySecretHash(secretHash: string): Promise<TokenRow | undefined> {
    return this.db.selectFrom('api_token').selectAll().where('secret_hash', '=', secretHash).executeTakeFirst();
  }

  async count(): Promise<number> {
    const r = await this.db
      .selectFrom('api_token')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** False when the name (or, astronomically unlikely, the secret) is taken. */
  async insert(user: string, tokenName: string, secretHash: string): Promise<boolean> {
    const r = await this.db
      .insertInto('api_token')
      .values({ user, token_name: tokenName, secret_hash: secretHash })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return (r.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  /** Creates the token or gives it this secret. */
  async upsertSecret(user: string, tokenName: string, secretHash: string): Promise<void> {
    await this.db
      .insertInto('api_token')
      .values({ user, token_name: tokenName, secret_hash: secretHash })
      .onConflict((oc) => oc.columns(['user', 'token_name']).doUpdateSet({ secret_hash: secretHash }))
      .execute();
  }

  async touch(id: number): Promise<void> {
    await this.db
      .updateTable('api_token')
      .set({ last_used_at: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  /** A page of a user's usable tokens by name, and how many there are. */
  async pageActive(user: string, start: number, limit: number): Promise<{ data: TokenRow[]; total: number }> {
    const active = this.db.selectFrom('api_token').where('user', '=', user).where('revoked_at', 'is', null);
    const [data, counted] = await Promise.all([
      active.selectAll().orderBy('token_name').offset(start).limit(limit).execute(),
      active.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { data, total: Number(counted.n) };
  }

  /**
   * Deletes a token, or only marks it revoked (`keepRow`: the bootstrap token, so its environment
   * variable cannot bring it back). The last usable token is never revoked. One revocation at a time
   * (an advisory lock), so two callers cannot each revoke one of the last two.
   */
  async revoke(user: string, tokenName: string, keepRow: boolean): Promise<RevokeOutcome> {
    return this.db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext('pvefleet:api_token:revoke'))`.execute(tx);
      const token = await tx
        .selectFrom('api_token')
        .select('id')
        .where('user', '=', user)
        .where('token_name', '=', tokenName)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (!token) return 'missing';
      const usable = await tx
        .selectFrom('api_token')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('revoked_at', 'is', null)
        .executeTakeFirstOrThrow();
      if (Number(usable.n) <= 1) return 'last';
      if (keepRow)
        await tx
          .updateTable('api_token')
          .set({ revoked_at: sql<Date>`now()` })
          .where('id', '=', token.id)
          .execute();
      else await tx.deleteFrom('api_token').where('id', '=', token.id).execute();
      return 'revoked';
    });
  }
}
