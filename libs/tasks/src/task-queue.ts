import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { errorMessage } from '@pvefleet/errors';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { TASK_REDIS } from './task-redis';

export const TASK_QUEUE = 'tasks';

/** The task row's id plus two hints for the node lease; the worker claims and re-reads the row itself. */
export interface TaskJobData {
  taskId: string;
  nodeId: number | null;
  mutating: boolean;
  /**
   * The run this job is for, past the first: a read-only task run again after its worker died gets
   * a job of its own, since the dead worker's job may still sit in Redis as active until BullMQ
   * finds it stalled (and is then skipped: its task is no longer queued).
   */
  run?: number;
}

/** BullMQ job id for a task's run: deterministic, so enqueueing twice never makes a second job. */
export const taskJobId = (taskId: string, run = 1) => (run > 1 ? `t${taskId}.${run}` : `t${taskId}`);

/** Redis is only the conveyor: the queue carries task ids, nothing the database does not already hold. */
@Injectable()
export class TaskQueue {
  private readonly logger = new Logger(TaskQueue.name);
  readonly queue: Queue<TaskJobData>;

  constructor(@Inject(TASK_REDIS) connection: Redis, @Inject(APP_CONFIG) config: Pick<AppConfig, 'redisPrefix'>) {
    this.queue = new Queue<TaskJobData>(TASK_QUEUE, {
      connection,
      prefix: config.redisPrefix,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: true, attempts: 1 },
    });
    // The connection itself is watched by its owner; this only keeps BullMQ from printing each error.
    this.queue.on('error', () => undefined);
  }

  /** `delayMs`: how long each task waits before a worker may take it (a fleet's facts refresh, spread out). */
  async enqueue(tasks: TaskJobData[], delayMs?: (task: TaskJobData) => number): Promise<void> {
    for (let i = 0; i < tasks.length; i += 1_000) {
      await this.queue.addBulk(
        tasks.slice(i, i + 1_000).map((data) => ({
          name: 'task',
          data,
          opts: { jobId: taskJobId(data.taskId, data.run), ...(delayMs ? { delay: delayMs(data) } : {}) },
        })),
      );
    }
  }

  /** Wakes a task that is waiting (delayed) for its node's lease, so a handoff takes no polling delay. */
  async wake(taskId: string): Promise<void> {
    const job = await this.queue.getJob(taskJobId(taskId));
    // Promoting races the job's own delay running out: a job no longer delayed needs no waking.
    if (job && (await job.isDelayed())) {
      await job.promote().catch((err: unknown) => {
        this.logger.debug(`task ${taskId}: not woken (${errorMessage(err)})`);
      });
    }
  }

  async remove(taskId: string): Promise<void> {
    await this.queue.remove(taskJobId(taskId)).catch((err: unknown) => {
      this.logger.warn(`task ${taskId}: its job could not be removed from the queue (${errorMessage(err)})`);
    });
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
