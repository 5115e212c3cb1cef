import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  createScheduleSchema,
  listScheduleRevisionsQuery,
  listSchedulesQuery,
  scheduleIdParams,
  updateScheduleSchema,
  type CreateSchedule,
  type UpdateSchedule,
} from '@pvefleet/contracts';
import { SchedulesService, toScheduleRevisionView } from '@pvefleet/schedules/state';
import type { z } from 'zod';
import { CurrentIdentity, type Identity } from '../auth/identity';
import { ZodPipe } from '../common/zod.pipe';

const idParam = new ZodPipe(scheduleIdParams.shape.id, 'id');

/** Contracts: libs/contracts/src/schedules.contract.ts. The author of every change is the calling token's `user@realm!token`. */
@Controller('schedules')
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  @Post()
  create(@CurrentIdentity() who: Identity, @Body(new ZodPipe(createScheduleSchema)) body: CreateSchedule) {
    return this.schedules.create(body, who.id);
  }

  @Get()
  list(@Query(new ZodPipe(listSchedulesQuery, 'query')) q: z.infer<typeof listSchedulesQuery>) {
    return this.schedules.list(q.start, q.limit);
  }

  @Get(':id')
  get(@Param('id', idParam) id: number) {
    return this.schedules.get(id);
  }

  @Patch(':id')
  update(
    @CurrentIdentity() who: Identity,
    @Param('id', idParam) id: number,
    @Body(new ZodPipe(updateScheduleSchema)) body: UpdateSchedule,
  ) {
    return this.schedules.update(id, body, who.id);
  }

  @Post(':id/pause')
  @HttpCode(200)
  pause(@CurrentIdentity() who: Identity, @Param('id', idParam) id: number) {
    return this.schedules.pause(id, who.id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(@CurrentIdentity() who: Identity, @Param('id', idParam) id: number) {
    return this.schedules.resume(id, who.id);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentIdentity() who: Identity, @Param('id', idParam) id: number) {
    await this.schedules.remove(id, who.id);
  }

  @Get(':id/revisions')
  async revisions(
    @Param('id', idParam) id: number,
    @Query(new ZodPipe(listScheduleRevisionsQuery, 'query')) q: z.infer<typeof listScheduleRevisionsQuery>,
  ) {
    const { data, total } = await this.schedules.revisions(id, q.start, q.limit);
    return { total, start: q.start, limit: q.limit, data: data.map(toScheduleRevisionView) };
  }
}
