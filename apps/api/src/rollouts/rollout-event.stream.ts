import { Inject, Injectable } from '@nestjs/common';
import { PgNotifications, classifyDbFailure } from '@pvefleet/db';
import { ENDED_ROLLOUT_STATUSES, RolloutRepository } from '@pvefleet/rollouts';
import type { Response } from 'express';
import { SseStreams } from '../common/sse-streams';
import { StreamWakeup } from '../common/stream-wakeup';

const ENDED: ReadonlySet<string> = new Set(ENDED_ROLLOUT_STATUSES);
/** A re-read without a notification, in case one was lost. */
const SAFETY_RECHECK_MS = 2_000;
const KEEP_ALIVE_MS = 15_000;
const OUTAGE_RETRY_MS = 2_000;
const PAGE = 1_000;

/**
 * A rollout's progress over Server-Sent Events: each new rollout event (`id` is the event's id, so a
 * client resumes with `Last-Event-ID`), then `end` with the final status. It reads the new events and
 * the status only when Postgres notifies that the rollout changed, never the rollout's nodes.
 */
@Injectable()
export class RolloutEventStream {
  constructor(
    @Inject(RolloutRepository) private readonly rollouts: RolloutRepository,
    private readonly streams: SseStreams,
    @Inject(PgNotifications) private readonly notifications: PgNotifications,
  ) {}

  async follow(id: number, after: number, res: Response): Promise<void> {
    const stream = this.streams.start(res);
    const wakeup = new StreamWakeup();
    const unsubscribe = this.notifications.subscribe('pvefleet_rollout', String(id), wakeup.listener);
    let lastWrite = Date.now();
    try {
      while (stream.open) {
        let changes: Awaited<ReturnType<RolloutRepository['changesSince']>>;
        try {
          changes = await this.rollouts.changesSince(id, after, PAGE);
        } catch (err) {
          if (classifyDbFailure(err) === 'rejected') throw err;
          await stream.send(': database unavailable, retrying\n\n');
          lastWrite = Date.now();
          await new Promise((r) => setTimeout(r, OUTAGE_RETRY_MS));
          continue;
        }
        if (!changes) break; // deleted meanwhile
        const { status, reason, events } = changes;
        if (events.length) {
          await stream.send(events.map((e) => `id: ${e.id}\ndata: ${JSON.stringify(e)}\n\n`).join(''));
          after = events[events.length - 1].id;
          lastWrite = Date.now();
          continue;
        }
        if (ENDED.has(status)) {
          await stream.send(`event: end\ndata: ${JSON.stringify({ status, reason })}\n\n`);
          break;
        }
        if (Date.now() - lastWrite > KEEP_ALIVE_MS) {
          await stream.send(': keep-alive\n\n');
          lastWrite = Date.now();
        }
        await wakeup.wait(SAFETY_RECHECK_MS);
      }
    } finally {
      unsubscribe();
      stream.end();
    }
  }
}
