import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  abortRolloutSchema,
  listRolloutsQuery,
  rolloutEventsQuery,
  rolloutIdParams,
  rolloutNodeParams,
  rolloutRequestSchema,
  type ListRolloutsQuery,
  type RolloutRequest,
} from '@pvefleet/contracts';
import { RolloutsService } from '@pvefleet/rollouts';
import type { Response } from 'express';
import type { z } from 'zod';
import { CurrentIdentity, type Identity } from '../auth/identity';
import { ZodPipe } from '../common/zod.pipe';

const idParam = new ZodPipe(rolloutIdParams.shape.id, 'id');
const nodeParam = new ZodPipe(rolloutNodeParams.shape.node, 'node');
const POLL_MS = 300;

/** Contracts: libs/contracts/src/rollouts.contract.ts. */
@Controller('rollouts')
export class RolloutsController {
  constructor(private readonly rollouts: RolloutsService) {}

  @Post()
  async create(
    @CurrentIdentity() who: Identity,
    @Body(new ZodPipe(rolloutRequestSchema)) body: RolloutRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const out = await this.rollouts.create(body, who.id);
    if (body.dryRun) res.status(200);
    return out;
  }

  @Get()
  async list(@Query(new ZodPipe(listRolloutsQuery, 'query')) q: ListRolloutsQuery) {
    // Until RolloutRepository.list({ start, limit, status }) pages in SQL: the service returns the newest 200.
    const all = await this.rollouts.list(q.status);
    return { total: all.length, start: q.start, limit: q.limit, data: all.slice(q.start, q.start + q.limit) };
  }

  @Get(':id')
  get(@Param('id', idParam) id: number) {
    return this.rollouts.get(id);
  }

  @Get(':id/events')
  events(@Param('id', idParam) id: number, @Query(new ZodPipe(rolloutEventsQuery, 'query')) q: z.infer<typeof rolloutEventsQuery>) {
    return this.rollouts.events(id, q.after, q.limit);
  }

  @Get(':id/events/stream')
  async stream(@Param('id', idParam) id: number, @Res() res: Response) {
    await this.rollouts.get(id);
    res.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    let closed = false;
    res.on('close', () => (closed = true));
    let after = 0;
    const ended = new Set(['completed', 'halted', 'aborted', 'failed']);
    while (!closed) {
      const events = await this.rollouts.events(id, after);
      for (const e of events) res.write(`id: ${e.id}\ndata: ${JSON.stringify(e)}\n\n`);
      if (events.length) after = events[events.length - 1].id;
      const { status, reason } = await this.rollouts.get(id);
      if (ended.has(status) && !events.length) {
        res.write(`event: end\ndata: ${JSON.stringify({ status, reason })}\n\n`);
        break;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    res.end();
  }

  @Post(':id/pause')
  @HttpCode(200)
  pause(@CurrentIdentity() who: Identity, @Param('id', idParam) id: number) {
    return this.rollouts.pause(id, who.id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(@CurrentIdentity() who: Identity, @Param('id', idParam) id: number) {
    return this.rollouts.resume(id, who.id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  approve(@CurrentIdentity() who: Identity, @Param('id', idParam) id: number) {
    return this.rollouts.approve(id, who.id);
  }

  @Post(':id/abort')
  @HttpCode(200)
  abort(
    @CurrentIdentity() who: Identity,
    @Param('id', idParam) id: number,
    @Body(new ZodPipe(abortRolloutSchema)) body: z.infer<typeof abortRolloutSchema>,
  ) {
    return this.rollouts.abort(id, who.id, body.leaveMaintenance);
  }

  @Post(':id/nodes/:node/release')
  @HttpCode(202)
  release(@CurrentIdentity() who: Identity, @Param('id', idParam) id: number, @Param('node', nodeParam) node: string) {
    return this.rollouts.release(id, node, who.id);
  }
}
