import { NotFoundError, type Prisma, type PrismaService, type Task } from '@pvefleet/db';
import type { TaskLogReader, LogLine } from '../log/task-log.reader';
import { parseUpid } from '../upid';

export interface TaskFilter {
  node?: string;
  type?: string;
  status?: 'queued' | 'running' | 'stopped';
  user?: string;
  since?: Date;
  until?: Date;
  errors?: boolean;
  start: number;
  limit: number;
}

/** Task history: lists with filters and a total, single tasks by UPID, and log pages. */
export class TaskQueryService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly reader: TaskLogReader,
  ) {}

  async list(f: TaskFilter): Promise<{ total: number; data: Task[] }> {
    const where: Prisma.TaskWhereInput = {
      node: f.node,
      type: f.type,
      status: f.status,
      user: f.user,
      isError: f.errors ? true : undefined,
      startTime: f.since || f.until ? { gte: f.since, lte: f.until } : undefined,
    };
    const [total, data] = await Promise.all([
      this.prisma.task.count({ where }),
      this.prisma.task.findMany({ where, orderBy: [{ startTime: 'desc' }, { id: 'desc' }], skip: f.start, take: f.limit }),
    ]);
    return { total, data };
  }

  async get(upid: string): Promise<Task> {
    if (!parseUpid(upid)) throw new NotFoundError(`task '${upid}' does not exist`);
    const task = await this.prisma.task.findUnique({ where: { upid } });
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
