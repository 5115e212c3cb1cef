import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { NodesService } from '@pvefleet/nodes';
import {
  TaskCancelService,
  TaskQueryService,
  TaskSubmissionService,
  toTaskDetailView,
  toTaskView,
  type IdempotencyClaim,
} from '@pvefleet/tasks';
import type { Response } from 'express';
import { CurrentIdentity, type Identity } from '../auth/identity';
import { IdempotencyClaimOf } from '../common/idempotency-key';
import { ZodPipe } from '../common/zod.pipe';
import { nodeNameParam } from '../nodes/nodes.controller';
import { TaskLogStream } from './task-log.stream';
import {
  createTaskSchema,
  fleetTaskSchema,
  listTasksQuery,
  logQuery,
  logStreamQuery,
  upidSchema,
  type CreateTask,
  type FleetTask,
  type ListTasksQuery,
} from '@pvefleet/contracts';
import type { z } from 'zod';

const upidParam = new ZodPipe(upidSchema, 'upid');

/** Contracts: libs/contracts/src/tasks.contract.ts. */
@Controller()
export class TasksController {
  constructor(
    private readonly nodes: NodesService,
    @Inject(TaskSubmissionService) private readonly submission: TaskSubmissionService,
    @Inject(TaskQueryService) private readonly query: TaskQueryService,
    @Inject(TaskCancelService) private readonly cancels: TaskCancelService,
    private readonly logStream: TaskLogStream,
  ) {}

  @Post('nodes/:name/tasks')
  async create(
    @CurrentIdentity() who: Identity,
    @IdempotencyClaimOf() idempotency: IdempotencyClaim | undefined,
    @Param('name', nodeNameParam) name: string,
    @Body(new ZodPipe(createTaskSchema)) body: CreateTask,
    @Res({ passthrough: true }) res: Response,
  ) {
    const node = await this.nodes.find(name);
    const req = { nodes: [node], type: body.type, params: body.params, user: who.id };
    if (body.dryRun) {
      res.status(200);
      return { dryRun: true, plans: this.submission.plan(req) };
    }
    const [{ taskId: _id, ...task }] = await this.submission.submit(req, idempotency);
    res.status(202);
    return task;
  }

  @Post('tasks')
  async createForFleet(
    @CurrentIdentity() who: Identity,
    @IdempotencyClaimOf() idempotency: IdempotencyClaim | undefined,
    @Body(new ZodPipe(fleetTaskSchema)) body: FleetTask,
    @Res({ passthrough: true }) res: Response,
  ) {
    const nodes = await this.nodes.select(body.selector);
    const req = { nodes, type: body.type, params: body.params, user: who.id };
    if (body.dryRun) {
      res.status(200);
      return { dryRun: true, plans: this.submission.plan(req) };
    }
    const tasks = await this.submission.submit(req, idempotency);
    res.status(202);
    return { tasks: tasks.map(({ taskId: _id, ...t }) => t) };
  }

  @Get('tasks')
  async list(@Query(new ZodPipe(listTasksQuery, 'query')) q: ListTasksQuery) {
    const { total, totalExact, data } = await this.query.list(q);
    return { total, totalExact, start: q.start, limit: q.limit, data: data.map(toTaskView) };
  }

  @Get('tasks/:upid')
  async get(@Param('upid', upidParam) upid: string) {
    return toTaskDetailView(await this.query.get(upid));
  }

  @Get('tasks/:upid/log')
  async log(
    @Param('upid', upidParam) upid: string,
    @Query(new ZodPipe(logQuery, 'query')) q: z.infer<typeof logQuery>,
    @Res() res: Response,
  ) {
    const task = await this.query.get(upid);
    const { total, lines } = await this.query.log(task, q.start, q.limit);
    // A stopped task's log never changes, so this names the page. Set here, it also spares Express
    // hashing the body for its own ETag (a megabyte for 10,000 lines).
    if (task.status === 'stopped') res.setHeader('ETag', `W/"${task.id}-${q.start}-${q.limit}-${total}"`);
    res.json({ total, status: task.status, data: lines });
  }

  @Get('tasks/:upid/log/stream')
  async stream(
    @Param('upid', upidParam) upid: string,
    @Query(new ZodPipe(logStreamQuery, 'query')) q: z.infer<typeof logStreamQuery>,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() res: Response,
  ) {
    const task = await this.query.get(upid);
    const resumeAfter = lastEventId !== undefined && /^\d{1,9}$/.test(lastEventId) ? Number(lastEventId) : 0;
    await this.logStream.follow(task, Math.max(q.start, resumeAfter), res);
  }

  @Delete('tasks/:upid')
  @HttpCode(202)
  async cancel(@CurrentIdentity() who: Identity, @Param('upid', upidParam) upid: string) {
    const task = await this.query.get(upid);
    const outcome = await this.cancels.cancel(task, who.id);
    return { upid, status: outcome };
  }
}
