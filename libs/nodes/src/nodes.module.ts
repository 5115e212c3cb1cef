import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { PgPool } from '@pvefleet/db';
import { SecretBox, SecretsModule } from '@pvefleet/secrets';
import { NodeAccess } from './node-access';
import { NodeRepository } from './node.repository';
import { NodesService } from './nodes.service';

/** Nodes: the API's registry (NodesService on NodeRepository) and the worker's way in (NodeAccess). Needs DbModule (global). */
@Module({
  imports: [SecretsModule],
  providers: [
    NodeRepository,
    NodesService,
    {
      provide: NodeAccess,
      inject: [PgPool, SecretBox, APP_CONFIG],
      useFactory: (pool: PgPool, box: SecretBox, c: AppConfig) => new NodeAccess(pool, box, c.ssh.connectTimeoutMs),
    },
  ],
  exports: [NodeRepository, NodesService, NodeAccess],
})
export class NodesModule {}
