import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Task } from '@pvefleet/db';
import { TaskLogReader } from '@pvefleet/tasks';
import type { Response } from 'express';

const POLL_MS = 250;
const PAGE = 5_000;

/**
 * Follows a task's log over Server-Sent Events: one `data: {"n","t"}` event per line as lines land
 * in Postgres (any worker may write them), then an `end` event with the exit status.
 */
@Injectable()
export class TaskLogStream {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(TaskLogReader) private readonly reader: TaskLogReader,
  ) {}

  async follow(task: Task, start: number, res: Response): Promise<void> {
    res.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    let closed = false;
    res.on('close', () => (closed = true));
    const id = task.id.toString();
    let next = start + 1;
    let current = task;
    let lastWrite = Date.now();
    while (!closed) {
      const lines = await this.reader.read(id, next, PAGE);
      if (lines.length) {
        const chunk = lines.map((l) => `id: ${l.n}\ndata: ${JSON.stringify({ n: l.n, t: l.t, ts: l.ts })}\n\n`).join('');
        next = lines[lines.length - 1].n + 1;
        lastWrite = Date.now();
        if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
        if (lines.length === PAGE) continue;
      }
      if (current.status === 'stopped' && next > current.logLines) {
        res.write(`event: end\ndata: ${JSON.stringify({ status: 'stopped', exitstatus: current.exitstatus })}\n\n`);
        break;
      }
      if (Date.now() - lastWrite > 15_000) {
        res.write(': keep-alive\n\n');
        lastWrite = Date.now();
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
      current = (await this.prisma.task.findUnique({ where: { id: task.id } })) ?? current;
    }
    res.end();
  }
}
