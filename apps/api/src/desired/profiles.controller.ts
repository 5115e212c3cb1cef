import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  createProfileSchema,
  listProfilesQuery,
  listRevisionsQuery,
  profileNameParams,
  profileRevisionParams,
  updateProfileSchema,
  type CreateProfile,
  type UpdateProfile,
} from '@pvefleet/contracts';
import { ProfilesService, toProfileView, toRevisionView } from '@pvefleet/desired/state';
import type { z } from 'zod';
import { CurrentIdentity, type Identity } from '../auth/identity';
import { ZodPipe } from '../common/zod.pipe';

const nameParam = new ZodPipe(profileNameParams.shape.name, 'name');
const revisionParam = new ZodPipe(profileRevisionParams.shape.n, 'n');

/** Contracts: libs/contracts/src/desired.contract.ts. The author of every change is the calling token's `user@realm!token`. */
@Controller('profiles')
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Post()
  async create(@CurrentIdentity() who: Identity, @Body(new ZodPipe(createProfileSchema)) body: CreateProfile) {
    return toProfileView(await this.profiles.create(body, who.id));
  }

  @Get()
  async list(@Query(new ZodPipe(listProfilesQuery, 'query')) q: z.infer<typeof listProfilesQuery>) {
    const { data, total } = await this.profiles.list(q.start, q.limit);
    return { total, start: q.start, limit: q.limit, data: data.map(toProfileView) };
  }

  @Get(':name')
  async get(@Param('name', nameParam) name: string) {
    return toProfileView(await this.profiles.get(name));
  }

  @Put(':name')
  async update(
    @CurrentIdentity() who: Identity,
    @Param('name', nameParam) name: string,
    @Body(new ZodPipe(updateProfileSchema)) body: UpdateProfile,
  ) {
    return toProfileView(await this.profiles.update({ name, ...body }, who.id));
  }

  @Delete(':name')
  @HttpCode(204)
  async remove(@CurrentIdentity() who: Identity, @Param('name', nameParam) name: string) {
    await this.profiles.remove(name, who.id);
  }

  @Get(':name/revisions')
  async revisions(
    @Param('name', nameParam) name: string,
    @Query(new ZodPipe(listRevisionsQuery, 'query')) q: z.infer<typeof listRevisionsQuery>,
  ) {
    const { data, total } = await this.profiles.revisions(name, q.start, q.limit);
    return { total, start: q.start, limit: q.limit, data: data.map(toRevisionView) };
  }

  @Post(':name/revisions/:n/restore')
  @HttpCode(200)
  async restore(@CurrentIdentity() who: Identity, @Param('name', nameParam) name: string, @Param('n', revisionParam) n: number) {
    return toProfileView(await this.profiles.restore(name, n, who.id));
  }
}
