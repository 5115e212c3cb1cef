import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { PgPool, createPgPool } from './pg-pool';
import { PrismaService } from './prisma.service';

/** The process's Postgres pool. Workers need only this: their SQL is hand-written. */
@Global()
@Module({
  providers: [{ provide: PgPool, inject: [APP_CONFIG], useFactory: (c: AppConfig) => createPgPool(c.databaseUrl, c.db.poolSize) }],
  exports: [PgPool],
})
export class DbModule implements OnApplicationShutdown {
  constructor(@Inject(PgPool) private readonly pool: PgPool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end().catch(() => {});
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
