import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { PgPool, createPgPool } from './pg-pool';
import { PrismaService } from './prisma.service';

@Global()
@Module({
  providers: [
    { provide: PgPool, inject: [APP_CONFIG], useFactory: (c: AppConfig) => createPgPool(c.databaseUrl, c.db.poolSize) },
    { provide: PrismaService, inject: [PgPool], useFactory: (pool: PgPool) => new PrismaService(pool) },
  ],
  exports: [PgPool, PrismaService],
})
export class DbModule implements OnApplicationShutdown {
  constructor(@Inject(PgPool) private readonly pool: PgPool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end().catch(() => {});
  }
}
