import { Inject, Injectable } from '@nestjs/common';
import type { AlertDraft } from '../alert-messages';
import { AlertRepository } from '../persistence/alert.repository';
import { AlertQueue } from './alert-queue';

/** Writes each alert with its deliveries (Postgres first), then enqueues the deliveries. */
@Injectable()
export class AlertRaiser {
  constructor(
    @Inject(AlertRepository) private readonly alerts: AlertRepository,
    @Inject(AlertQueue) private readonly queue: AlertQueue,
  ) {}

  /** How many of the drafts were new (another evaluator may have raised some first). */
  async raise(drafts: readonly AlertDraft[], now: Date, channelIds: readonly number[]): Promise<number> {
    let raised = 0;
    for (const draft of drafts) {
      const r = await this.alerts.raise(draft, now, channelIds);
      if (!r) continue;
      raised++;
      await this.queue.enqueue(r.deliveryIds);
    }
    return raised;
  }
}
