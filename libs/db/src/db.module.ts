import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { createDb, Db } from './db';
import { PgPool, createPgPool } from './pg-pool';
import { PrismaService } from './prisma.service';

/** The process's Postgres pool and the typed SQL (Kysely) on it that the repositories use. */
@Global()
@Module({
  providers: [
    { provide: PgPool, inject: [APP_CONFIG], useFactory: (c: AppConfig) => createPgPool(c.databaseUrl, c.db.poolSize) },
    { provide: Db, inject: [PgPool], useFactory: (pool: PgPool) => createDb(pool) },
  ],
  exports: [PgPool, Db],
})
export class DbModule implements OnApplicationShutdown {
  constructor(@Inject(PgPool) private readonly pool: PgPool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end().catch((err: unknown) => {
      new Logger('Postgres').warn(`closing the pool failed at shutdown: ${err instanceof Error ? err.message : String(err)}`);
    });
  }
}

/**
 * Prisma on the same pool, for the API's CRUD. Kept out of the workers: its query compiler costs
 * some 60 MB of memory there for nothing.
 */
@Global()
@Module({
  providers: [{ provide: PrismaService, inject: [PgPool], useFactory: (pool: PgPool) => new PrismaService(pool) }],
  exports: [PrismaService],
})
export class PrismaModule {}
