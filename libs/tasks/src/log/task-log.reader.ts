import type { PgPool } from '@pvefleet/db';
import { decodeLogMeta, type LogStream } from './task-log-codec';
import { MAX_CHUNK_LINES } from './task-log.writer';

export interface LogLine {
  n: number;
  t: string;
  /** Epoch milliseconds. */
  ts: number;
  stream: LogStream;
}

interface ChunkRow {
  first_n: number;
  line_count: number;
  text: string;
  meta: Buffer;
}

/** Reads numbered lines back out of a task's log chunks. */
export class TaskLogReader {
  constructor(readonly pool: PgPool) {}

  /** Lines `fromN` .. `fromN + limit - 1` (1-based, like Proxmox's `n`). */
  async read(taskId: string, fromN: number, limit: number): Promise<LogLine[]> {
    if (limit <= 0) return [];
    const toN = fromN + limit - 1;
    // The lower bound on first_n keeps this an index range scan, however long the log. The last
    // condition is checked on the row before its text is decompressed, so chunks of that range that
    // end before the page cost nothing (for a 10,000-line page, about a third of what was read).
    const { rows } = await this.pool.query<ChunkRow>(
      `SELECT first_n, line_count, text, meta FROM task_log_chunk
        WHERE task_id = $1 AND first_n <= $3 AND first_n > $2 - ${MAX_CHUNK_LINES} AND first_n + line_count > $2
        ORDER BY first_n`,
      [taskId, fromN, toN],
    );
    const lines: LogLine[] = [];
    for (const row of rows) {
      if (row.first_n + row.line_count <= fromN) continue;
      const texts = row.text.split('\n');
      const metas = decodeLogMeta(row.meta, row.line_count);
      const from = Math.max(0, fromN - row.first_n);
      const to = Math.min(row.line_count, toN - row.first_n + 1);
      for (let i = from; i < to; i++) {
        lines.push({ n: row.first_n + i, t: texts[i] ?? '', ts: metas[i].ts, stream: metas[i].stream });
      }
    }
    return lines;
  }

  /** Number of lines persisted so far (for a running task, its log so far). */
  async count(taskId: string): Promise<number> {
    const { rows } = await this.pool.query<{ last: number }>(
      `SELECT first_n + line_count - 1 AS last FROM task_log_chunk WHERE task_id = $1 ORDER BY first_n DESC LIMIT 1`,
      [taskId],
    );
    return rows[0]?.last ?? 0;
  }
}
