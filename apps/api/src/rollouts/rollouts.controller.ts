import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
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
import { RolloutEventStream } from './rollout-event.stream';

const idParam = new ZodPipe(rolloutIdParams.shape.id, 'id');
const nodeParam = new ZodPipe(rolloutNodeParams.shape.node, 'node');

/** Contracts: libs/contracts/src/rollouts.contract.ts. */
@Controller('rollouts')
export class RolloutsController {
  constructor(
    private readonly rollouts: RolloutsService,
    private readonly eventStream: RolloutEventStream,
  ) {}

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
    const { data, total } = await this.rollouts.list({ start: q.start, limit: q.limit, status: q.status });
    return { total, start: q.start, limit: q.limit, data };
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
  async stream(@Param('id', idParam) id: number, @Headers('last-event-id') lastEventId: string | undefined, @Res() res: Response) {
    await this.rollouts.get(id);
    const after = lastEventId !== undefined && /^\d{1,15}$/.test(lastEventId) ? Number(lastEventId) : 0;
    await this.eventStream.follow(id, after, res);
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
