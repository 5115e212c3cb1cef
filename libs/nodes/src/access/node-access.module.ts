import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { PgPool } from '@pvefleet/db';
import { SecretBox, SecretsModule } from '@pvefleet/secrets';
import { NodeAccess } from './node-access';

/** The worker's way into nodes (credentials opened, host keys pinned). The API never imports it: it stays free of SSH code. */
@Module({
  imports: [SecretsModule],
  providers: [
    {
      provide: NodeAccess,
      inject: [PgPool, SecretBox, APP_CONFIG],
      useFactory: (pool: PgPool, box: SecretBox, c: AppConfig) => new NodeAccess(pool, box, c.ssh.connectTimeoutMs),
    },
  ],
  exports: [NodeAccess],
})
export class NodeAccessModule {}
