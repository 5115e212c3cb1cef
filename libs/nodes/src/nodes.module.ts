import { Module } from '@nestjs/common';
import { SecretsModule } from '@pvefleet/secrets';
import { NodeRepository } from './node.repository';
import { NodesService } from './nodes.service';

/** Nodes: the API's registry (NodesService on NodeRepository). Needs DbModule (global). The worker's NodeAccess is in '@pvefleet/nodes/access'. */
@Module({
  imports: [SecretsModule],
  providers: [NodeRepository, NodesService],
  exports: [NodeRepository, NodesService],
})
export class NodesModule {}
