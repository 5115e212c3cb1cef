import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, type Task } from '@pvefleet/db';
import { TaskLogReader, type LogLine } from '../log/task-log.reader';
import { TaskRepository, type TaskFilter } from '../persistence/task.repository';
import { parseUpid } from '../upid';

export { EXACT_TOTAL_CAP, type TaskFilter } from '../persistence/task.repository';

/** Task history: lists with filters and a total, single tasks by UPID, and log pages. */
@Injectable()
export class TaskQueryService {
  constructor(
    @Inject(TaskRepository) private readonly tasks: TaskRepository,
    @Inject(TaskLogReader) private readonly reader: TaskLogReader,
  ) {}

  list(f: TaskFilter): Promise<{ total: number; totalExact: boolean; data: Task[] }> {
    return this.tasks.list(f);
  }

  async get(upid: string): Promise<Task> {
    const task = parseUpid(upid) ? await this.tasks.findByUpid(upid) : undefined;
    if (!task) throw new NotFoundError(`task '${upid}' does not exist`);
    return task;
  }

  /** Proxmox's paging: `start` is 0-based, lines come back numbered from 1. */
  async log(task: Task, start: number, limit: number): Promise<{ total: number; lines: LogLine[] }> {
    const id = task.id.toString();
    const [total, lines] = await Promise.all([
      task.status === 'stopped' ? Promise.resolve(task.logLines) : this.reader.count(id),
      this.reader.read(id, start + 1, limit),
    ]);
    return { total, lines };
  }
}
