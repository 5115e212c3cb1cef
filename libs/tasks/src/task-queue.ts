import { Queue, type ConnectionOptions } from 'bullmq';

export const TASK_QUEUE = 'tasks';

/** The task row's id plus two hints for the node lease; the worker claims and re-reads the row itself. */
export interface TaskJobData {
  taskId: string;
  nodeId: number | null;
  mutating: boolean;
}

/** BullMQ job id for a task: deterministic, so enqueueing twice never makes a second job. */
export const taskJobId = (taskId: string) => `t${taskId}`;

/** Redis is only the conveyor: the queue carries task ids, nothing the database does not already hold. */
export class TaskQueue {
  readonly queue: Queue<TaskJobData>;

  constructor(connection: ConnectionOptions, prefix: string) {
    this.queue = new Queue<TaskJobData>(TASK_QUEUE, {
      connection,
      prefix,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: true, attempts: 1 },
    });
  }

  async enqueue(tasks: TaskJobData[]): Promise<void> {
    for (let i = 0; i < tasks.length; i += 1_000) {
      await this.queue.addBulk(
        tasks.slice(i, i + 1_000).map((data) => ({ name: 'task', data, opts: { jobId: taskJobId(data.taskId) } })),
      );
    }
  }

  /** Wakes a task that is waiting (delayed) for its node's lease, so a handoff takes no polling delay. */
  async wake(taskId: string): Promise<void> {
    const job = await this.queue.getJob(taskJobId(taskId));
    if (job && (await job.isDelayed())) await job.promote().catch(() => {});
  }

  async remove(taskId: string): Promise<void> {
    await this.queue.remove(taskJobId(taskId)).catch(() => {});
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
