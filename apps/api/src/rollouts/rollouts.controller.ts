import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RolloutsService, rolloutRequestSchema, type RolloutRequest } from '@pvefleet/rollouts';
import type { Response } from 'express';
import { nodeName } from '@pvefleet/jobs';
import { z } from 'zod';
import { CurrentIdentity, type Identity } from '../auth/identity';
import { openApiSchema } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';

const idParam = new ZodPipe(z.coerce.number().int().min(1).max(2_147_483_647), 'id');
const listQuery = z.strictObject({
  status: z
    .enum(['pending', 'running', 'paused', 'awaiting_approval', 'halting', 'aborting', 'completed', 'halted', 'aborted', 'failed'])
    .optional(),
});
const eventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(1_000),
});
const abortBody = z.strictObject({
  /** Leave HA maintenance (and unset noout this rollout set) as each node stops; default: only nodes not yet upgraded do. */
  leaveMaintenance: z.boolean().optional(),
});
const nodeParam = new ZodPipe(nodeName, 'node');
const POLL_MS = 300;

@ApiTags('rollouts')
@ApiBearerAuth()
@Controller('rollouts')
export class RolloutsController {
  constructor(private readonly rollouts: RolloutsService) {}

  @Post()
  @ApiOperation({ summary: 'Start a rolling upgrade (201), or with dryRun see its batches and every command per node (200)' })
  @ApiBody({ schema: openApiSchema(rolloutRequestSchema) })
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
  list(@Query(new ZodPipe(listQuery, 'query')) q: z.infer<typeof listQuery>) {
    return this.rollouts.list(q.status);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A rollout with every node: its step, state and task UPIDs' })
  get(@Param('id', idParam) id: number) {
    return this.rollouts.get(id);
  }

  @Get(':id/events')
  @ApiOperation({ summary: "The rollout's log of decisions (why it waited, why it halted), oldest first" })
  events(@Param('id', idParam) id: number, @Query(new ZodPipe(eventsQuery, 'query')) q: z.infer<typeof eventsQuery>) {
    return this.rollouts.events(id, q.after, q.limit);
  }

  @Get(':id/events/stream')
  @ApiOperation({ summary: 'Progress as Server-Sent Events (e.g. "[3/20] pve3: evacuating to pve4"); ends when the rollout ends' })
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
  @ApiOperation({ summary: 'Finish the steps running now, start nothing new' })
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
  @ApiOperation({ summary: 'Let a rollout waiting after its first (canary) batch go on' })
  approve(@CurrentIdentity() who: Identity, @Param('id', idParam) id: number) {
    return this.rollouts.approve(id, who.id);
  }

  @Post(':id/abort')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Stop scheduling; every node stops after its current step (leaving HA maintenance unless upgraded, or as leaveMaintenance says)',
  })
  @ApiBody({ schema: openApiSchema(abortBody), required: false })
  abort(@CurrentIdentity() who: Identity, @Param('id', idParam) id: number, @Body(new ZodPipe(abortBody)) body: z.infer<typeof abortBody>) {
    return this.rollouts.abort(id, who.id, body.leaveMaintenance);
  }

  @Post(':id/nodes/:node/release')
  @HttpCode(202)
  @ApiOperation({
    summary: 'After a rollout stopped: check a node it left in maintenance is healthy, then unset noout and leave HA maintenance (tasks)',
  })
  release(@CurrentIdentity() who: Identity, @Param('id', idParam) id: number, @Param('node', nodeParam) node: string) {
    return this.rollouts.release(id, node, who.id);
  }
}
