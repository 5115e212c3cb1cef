import { Module } from '@nestjs/common';
import { AlertChannelsService } from './api/alert-channels.service';
import { AlertRulesService } from './api/alert-rules.service';
import { ChannelSender } from './channels/channel-sender';
import { AlertDeliveryWorker } from './delivery/alert-delivery.worker';
import { AlertQueue } from './delivery/alert-queue';
import { AlertRaiser } from './delivery/alert-raiser';
import { DeliveryAttempt } from './delivery/delivery-attempt';
import { AlertEvaluator } from './evaluation/alert-evaluator';
import { CertificateExpiringRule } from './evaluation/certificate-rule';
import { NewOnly } from './evaluation/new-only';
import { NodeUnreachableRule } from './evaluation/node-unreachable-rule';
import { RolloutHaltedRule } from './evaluation/rollout-halted-rule';
import { TaskFailureRules } from './evaluation/task-failure-rules';
import { AlertChannelRepository } from './persistence/alert-channel.repository';
import { AlertDeliveryRepository } from './persistence/alert-delivery.repository';
import { AlertRuleRepository } from './persistence/alert-rule.repository';
import { AlertSourcesRepository } from './persistence/alert-sources.repository';
import { AlertRepository } from './persistence/alert.repository';

const repositories = [AlertChannelRepository, AlertRuleRepository, AlertRepository];

/**
 * The API's side: channels (with the test send), rules, the alert and delivery logs. Needs DbModule,
 * ConfigModule and SecretsModule (global). No Redis: the API raises no alert and enqueues nothing.
 */
@Module({
  providers: [...repositories, ChannelSender, AlertChannelsService, AlertRulesService],
  exports: [AlertChannelsService, AlertRulesService, AlertRepository],
})
export class AlertsModule {}

/**
 * The worker's side: the rules' evaluator loop, the `alerts` queue and its consumer, and the requeue of
 * pending deliveries. Also needs TASK_REDIS (global in the worker).
 */
@Module({
  providers: [
    ...repositories,
    AlertDeliveryRepository,
    AlertSourcesRepository,
    ChannelSender,
    NewOnly,
    CertificateExpiringRule,
    TaskFailureRules,
    RolloutHaltedRule,
    NodeUnreachableRule,
    AlertQueue,
    AlertRaiser,
    DeliveryAttempt,
    AlertDeliveryWorker,
    AlertEvaluator,
  ],
})
export class AlertsWorkerModule {}
