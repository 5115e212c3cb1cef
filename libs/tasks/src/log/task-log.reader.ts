import { Inject, Injectable } from '@nestjs/common';
import { TaskLogRepository } from '../persistence/task-log.repository';
import { decodeLogMeta, type LogStream } from './task-log-codec';

export interface LogLine {
  n: number;
  t: string;
  /** Epoch milliseconds. */
  ts: number;
  stream: LogStream;
}

/** Reads numbered lines back out of a task's log chunks. */
@Injectable()
export class TaskLogReader {
  constructor(@Inject(TaskLogRepository) private readonly repo: TaskLogRepository) {}

  /** Lines `fromN` .. `fromN + limit - 1` (1-based, like Proxmox's `n`). */
  async read(taskId: string, fromN: number, limit: number): Promise<LogLine[]> {
    if (limit <= 0) return [];
    const toN = fromN + limit - 1;
    const lines: LogLine[] = [];
    for (const row of await this.repo.chunks(taskId, fromN, toN)) {
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
  count(taskId: string): Promise<number> {
    return this.repo.lineCount(taskId);
  }
}
