import { Inject, Injectable } from '@nestjs/common';
import { Db } from '@pvefleet/db';
import { sql } from 'kysely';
import { expectedDurationMs, RECENT_RUNS, ROLLOUT_NODE_WORK } from '../windows';

/**
 * How long work took before, for "does it fit in what is left of the window": the durations of the
 * last successful runs (libs/schedules/src/windows/expected-duration.ts decides from them).
 */
@Injectable()
export class WindowsWorkHistory {
  constructor(@Inject(Db) private readonly db: Db) {}

  /** Expected milliseconds of a `type` task on the node: its own recent runs, else the fleet's, else the default. */
  async taskMs(type: string, nodeId: number | null): Promise<number> {
    const base = this.db
      .selectFrom('task')
      .select(sql<number>`(extract(epoch from end_time - started_at) * 1000)::float8`.as('ms'))
      .where('type', '=', type)
      .where('status', '=', 'stopped')
      .where('is_error', '=', false)
      .where('started_at', 'is not', null)
      .where('end_time', 'is not', null)
      .orderBy('start_time', 'desc')
      .limit(RECENT_RUNS);
    const node = nodeId === null ? [] : await base.where('node_id', '=', nodeId).execute();
    const fleet = node.length ? [] : await base.execute();
    return expectedDurationMs(type, msOf(node), msOf(fleet));
  }

  /** Expected milliseconds of one node's whole way through a rollout: its recent finished ones, else the fleet's, else the default. */
  async rolloutNodeMs(node: string): Promise<number> {
    const base = this.db
      .selectFrom('rollout_node')
      .select(sql<number>`(extract(epoch from ended_at - started_at) * 1000)::float8`.as('ms'))
      .where('state', '=', 'done')
      .where('started_at', 'is not', null)
      .where('ended_at', 'is not', null)
      .orderBy('ended_at', 'desc')
      .limit(RECENT_RUNS);
    const own = await base.where('node', '=', node).execute();
    const fleet = own.length ? [] : await base.execute();
    return expectedDurationMs(ROLLOUT_NODE_WORK, msOf(own), msOf(fleet));
  }
}

const msOf = (rows: { ms: number }[]): number[] => rows.map((r) => r.ms);
