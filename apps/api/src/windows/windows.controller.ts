import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import {
  createWindowSchema,
  listWindowRevisionsQuery,
  listWindowsQuery,
  storedWindowSchema,
  updateWindowSchema,
  windowNameParams,
  type CreateWindow,
  type UpdateWindow,
} from '@pvefleet/contracts';
import { parseOrThrow } from '@pvefleet/jobs';
import { toWindowRevisionView, toWindowView, WindowsService, type StoredWindow, type WindowDocument } from '@pvefleet/schedules/state';
import type { z } from 'zod';
import { CurrentIdentity, type Identity } from '../auth/identity';
import { ZodPipe } from '../common/zod.pipe';

const nameParam = new ZodPipe(windowNameParams.shape.name, 'name');

/** PATCH merges into the stored window, then checks the whole as a create would (400 naming the field). */
const checkMerged = (merged: WindowDocument): WindowDocument => parseOrThrow(storedWindowSchema, merged);

/** Contracts: libs/contracts/src/windows.contract.ts. The author of every change is the calling token's `user@realm!token`. */
@Controller('windows')
export class WindowsController {
  constructor(@Inject(WindowsService) private readonly windows: WindowsService) {}

  @Post()
  async create(@CurrentIdentity() who: Identity, @Body(new ZodPipe(createWindowSchema)) body: CreateWindow) {
    return this.view(await this.windows.create(body, who.id));
  }

  @Get()
  async list(@Query(new ZodPipe(listWindowsQuery, 'query')) q: z.infer<typeof listWindowsQuery>) {
    const { data, total } = await this.windows.list(q.start, q.limit);
    return { total, start: q.start, limit: q.limit, data: data.map((w) => this.view(w)) };
  }

  @Get(':name')
  async get(@Param('name', nameParam) name: string) {
    return this.view(await this.windows.get(name));
  }

  @Patch(':name')
  async update(
    @CurrentIdentity() who: Identity,
    @Param('name', nameParam) name: string,
    @Body(new ZodPipe(updateWindowSchema)) body: UpdateWindow,
  ) {
    return this.view(await this.windows.update(name, body, who.id, checkMerged));
  }

  @Delete(':name')
  @HttpCode(204)
  async remove(@CurrentIdentity() who: Identity, @Param('name', nameParam) name: string) {
    await this.windows.remove(name, who.id);
  }

  @Get(':name/revisions')
  async revisions(
    @Param('name', nameParam) name: string,
    @Query(new ZodPipe(listWindowRevisionsQuery, 'query')) q: z.infer<typeof listWindowRevisionsQuery>,
  ) {
    const { data, total } = await this.windows.revisions(name, q.start, q.limit);
    return { total, start: q.start, limit: q.limit, data: data.map(toWindowRevisionView) };
  }

  private view(w: StoredWindow) {
    return toWindowView(w, this.windows.nextOpening(w));
  }
}
