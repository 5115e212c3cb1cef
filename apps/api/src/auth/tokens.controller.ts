import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { createTokenSchema, listTokensQuery, tokenName, type ListTokensQuery } from '@pvefleet/contracts';
import type { z } from 'zod';
import { ZodPipe } from '../common/zod.pipe';
import { CurrentIdentity, type Identity } from './identity';
import { TokenService } from './token.service';

/** Contracts: libs/contracts/src/tokens.contract.ts. */
@Controller('tokens')
export class TokensController {
  constructor(private readonly tokens: TokenService) {}

  @Post()
  create(@CurrentIdentity() who: Identity, @Body(new ZodPipe(createTokenSchema)) body: z.infer<typeof createTokenSchema>) {
    return this.tokens.create(who.user, body.name);
  }

  @Get()
  async list(@CurrentIdentity() who: Identity, @Query(new ZodPipe(listTokensQuery, 'query')) q: ListTokensQuery) {
    const { data, total } = await this.tokens.list(who.user, q.start, q.limit);
    return { total, start: q.start, limit: q.limit, data };
  }

  @Delete(':name')
  @HttpCode(204)
  async revoke(@CurrentIdentity() who: Identity, @Param('name', new ZodPipe(tokenName, 'name')) name: string) {
    await this.tokens.revoke(who.user, name);
  }
}
