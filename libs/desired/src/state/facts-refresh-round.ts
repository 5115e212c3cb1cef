import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Db } from '@pvefleet/db';
import { errorMessage } from '@pvefleet/errors';
import { TaskQueue, TaskSubmissionService, type TaskJobData } from '@pvefleet/tasks';
import { sql } from 'kysely';
import { DriftRecompute } from './drift-recompute';
import type { FactsRefresh } from './facts-refresh-settings';

/** Who the timer's facts tasks are from, as their UPIDs and history show it. */
export const FACTS_REFRESH_USER = 'system@pvefleet!facts-refresh';

/**
 * A node's fixed offset within the spread (0 ≤ offset < spreadMs): the same node is read at the same
 * point of every round, so its facts age evenly, and the fleet is not read all at once.
 */
export function refreshOffsetMs(node: string, spreadMs: number): number {
  if (spreadMs < 1) return 0;
  return createHash('sha256').update(node).digest().readUInt32BE(0) % Math.floor(spreadMs);
}

/**
 * One fire of the facts refresh timer: a `facts` task for every node (none for a node whose last one
 * is still queued or running, so a slow or unreachable fleet never piles them up), each held back by
 * its node's offset; then the fleet's drift, so facts that aged past two intervals show unknown.
 */
@Injectable()
export class FactsRefreshRound {
  private readonly logger = new Logger('FactsRefresh');

  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(TaskSubmissionService) private readonly submission: TaskSubmissionService,
    @Inject(TaskQueue) private readonly queue: TaskQueue,
    @Inject(DriftRecompute) private readonly drift: DriftRecompute,
  ) {}

  async run(setting: FactsRefresh): Promise<{ submitted: number }> {
    const nodes = await this.db
      .selectFrom('node')
      .select(['id', 'name'])
      // A node whose last facts task has not ended gets no second one.
      .where(
        sql<boolean>`NOT EXISTS (SELECT 1 FROM task t WHERE t.node_id = node.id AND t.type = 'facts' AND t.status IN ('queued', 'running'))`,
      )
      .orderBy('name')
      .execute();
    let jobs: TaskJobData[] = [];
    const offsets = new Map<number, number>();
    if (nodes.length) {
      const spreadMs = setting.intervalMinutes * 60_000 * setting.jitter;
      for (const n of nodes) offsets.set(n.id, refreshOffsetMs(n.name, spreadMs));
      const created = await this.db.transaction().execute((trx) =>
        this.submission.insert(trx, {
          nodes: nodes.map((n) => ({ ...n, facts: null })),
          type: 'facts',
          params: {},
          user: FACTS_REFRESH_USER,
        }),
      );
      jobs = created.jobs;
      try {
        await this.queue.enqueue(jobs, (j) => offsets.get(j.nodeId ?? -1) ?? 0);
      } catch (err) {
        this.logger.warn(
          `facts refresh: ${jobs.length} tasks not enqueued (${errorMessage(err)}); they stay queued and workers re-enqueue them`,
        );
      }
    }
    await this.drift.forAllNodes();
    return { submitted: jobs.length };
  }
}
