import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { ConflictError, type Task } from '@pvefleet/db';
import { errorMessage } from '@pvefleet/errors';
import type { Redis } from 'ioredis';
import { encodeLogMeta } from '../log/task-log-codec';
import { TaskRepository } from '../persistence/task.repository';
import { TASK_REDIS } from '../task-redis';

export const cancelChannel = (prefix: string) => `${prefix}:task-cancel`;

export interface CancelMessage {
  taskId: string;
  by: string;
}

/**
 * Cancels a task the way Proxmox stops one. A queued task is stopped right here and never runs; a
 * running one is flagged in Postgres and its worker is told over Redis (or notices the flag at its
 * next heartbeat), stops the remote command and ends the task `received interrupt`.
 */
@Injectable()
export class TaskCancelService {
  private readonly logger = new Logger(TaskCancelService.name);
  private readonly prefix: string;

  constructor(
    @Inject(TaskRepository) private readonly tasks: TaskRepository,
    @Inject(TASK_REDIS) private readonly publisher: Redis,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'redisPrefix'>,
  ) {
    this.prefix = config.redisPrefix;
  }

  async cancel(task: Task, by: string): Promise<'stopped' | 'stopping'> {
    const taskId = task.id.toString();
    if (task.status === 'queued' && (await this.stopQueued(taskId, by))) return 'stopped';
    if (!(await this.tasks.requestCancel(taskId, by))) throw new ConflictError(`task ${task.upid} has already stopped`);
    const message: CancelMessage = { taskId, by };
    await this.publisher.publish(cancelChannel(this.prefix), JSON.stringify(message)).catch((err: unknown) => {
      this.logger.warn(
        `task ${task.upid}: cancel message not sent (${errorMessage(err)}); its worker sees the request at its next heartbeat`,
      );
    });
    return 'stopping';
  }

  /** Stopped with its last lines in the same statement (TaskRepository.stopQueued). */
  private stopQueued(taskId: string, by: string): Promise<boolean> {
    const lines = [`cancelled by ${by} before it started`, 'TASK ERROR: received interrupt'];
    const now = Date.now();
    return this.tasks.stopQueued(taskId, by, {
      text: lines.join('\n'),
      count: lines.length,
      meta: encodeLogMeta(lines.map(() => ({ stream: 'sys' as const, ts: now }))),
    });
  }
}
