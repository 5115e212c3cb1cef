import { Inject, Injectable } from '@nestjs/common';
import { PgNotifications, classifyDbFailure, type Task } from '@pvefleet/db';
import { TaskLogReader, TaskRepository } from '@pvefleet/tasks';
import type { Response } from 'express';
import { SseStreams } from '../common/sse-streams';
import { StreamWakeup } from '../common/stream-wakeup';

/** A re-read without a notification, in case one was lost: Postgres drops them for a listener that was away. */
const SAFETY_RECHECK_MS = 2_000;
const PAGE = 5_000;
const KEEP_ALIVE_MS = 15_000;
/** While Postgres is away: how often to try again (and to tell the client the stream is alive). */
const OUTAGE_RETRY_MS = 2_000;

/**
 * Follows a task's log over Server-Sent Events: one `data: {"n","t"}` event per line as lines land
 * in Postgres (any worker may write them), then an `end` event with the exit status. It reads when
 * Postgres notifies that the task's log grew or its status changed (PgNotifications), not by polling. Each event's
 * `id` is its line number, so a client that reconnects with `Last-Event-ID` resumes after it. A
 * database outage does not end the stream: it sends comments meanwhile and carries on from where
 * it was once Postgres answers again.
 */
@Injectable()
export class TaskLogStream {
  constructor(
    @Inject(TaskRepository) private readonly tasks: TaskRepository,
    @Inject(TaskLogReader) private readonly reader: TaskLogReader,
    private readonly streams: SseStreams,
    @Inject(PgNotifications) private readonly notifications: PgNotifications,
  ) {}

  async follow(task: Task, start: number, res: Response): Promise<void> {
    const stream = this.streams.start(res);
    const id = task.id.toString();
    const wakeup = new StreamWakeup();
    const unsubscribe = this.notifications.subscribe('pvefleet_task', id, wakeup.listener);
    try {
      let next = start + 1;
      let current = task;
      let lastWrite = Date.now();
      while (stream.open) {
        let lines: Awaited<ReturnType<TaskLogReader['read']>>;
        try {
          lines = await this.reader.read(id, next, PAGE);
          if (!lines.length) current = (await this.tasks.findByUpid(task.upid)) ?? current;
        } catch (err) {
          if (classifyDbFailure(err) === 'rejected') throw err;
          await stream.send(': database unavailable, retrying\n\n');
          lastWrite = Date.now();
          await new Promise((r) => setTimeout(r, OUTAGE_RETRY_MS));
          continue;
        }
        if (lines.length) {
          const chunk = lines.map((l) => `id: ${l.n}\ndata: ${JSON.stringify({ n: l.n, t: l.t, ts: l.ts })}\n\n`).join('');
          next = lines[lines.length - 1].n + 1;
          lastWrite = Date.now();
          await stream.send(chunk);
          continue;
        }
        if (current.status === 'stopped' && next > current.logLines) {
          await stream.send(`event: end\ndata: ${JSON.stringify({ status: 'stopped', exitstatus: current.exitstatus })}\n\n`);
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
