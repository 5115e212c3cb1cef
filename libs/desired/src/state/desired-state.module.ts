import { Module } from '@nestjs/common';
import { NodesModule } from '@pvefleet/nodes';
import { DesiredChangeNotifier } from './desired-change-notifier';
import { DesiredRevisionRepository } from './desired-revision.repository';
import { NodeDesiredService } from './node-desired.service';
import { NodeOverrideRepository } from './node-override.repository';
import { ProfileRepository } from './profile.repository';
import { ProfilesService } from './profiles.service';

/**
 * Profiles, per-node overrides and their revisions (needs DbModule, global). After every change it
 * tells DESIRED_STATE_CHANGED, which the drift module provides globally (nothing when it is absent).
 */
@Module({
  imports: [NodesModule],
  providers: [
    ProfileRepository,
    NodeOverrideRepository,
    DesiredRevisionRepository,
    DesiredChangeNotifier,
    ProfilesService,
    NodeDesiredService,
  ],
  exports: [ProfilesService, NodeDesiredService, ProfileRepository, NodeOverrideRepository],
})
export class DesiredStateModule {}
