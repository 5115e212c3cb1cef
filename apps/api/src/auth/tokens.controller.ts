import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ZodPipe } from '../common/zod.pipe';
import { openApiSchema } from '../common/openapi';
import { CurrentIdentity, type Identity } from './identity';
import { TokenService } from './token.service';

const tokenName = z.string().regex(/^[A-Za-z][A-Za-z0-9._-]{0,63}$/, 'must be a token name: a letter, then up to 63 of [A-Za-z0-9._-]');
const createTokenSchema = z.strictObject({ name: tokenName });

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('tokens')
export class TokensController {
  constructor(private readonly tokens: TokenService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API token for the calling user; the secret is shown only in this response' })
  @ApiBody({ schema: openApiSchema(createTokenSchema) })
  create(@CurrentIdentity() who: Identity, @Body(new ZodPipe(createTokenSchema)) body: z.infer<typeof createTokenSchema>) {
    return this.tokens.create(who.user, body.name);
  }

  @Get()
  @ApiOperation({ summary: "List the calling user's tokens (never their secrets)" })
  list(@CurrentIdentity() who: Identity) {
    return this.tokens.list(who.user);
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a token' })
  async revoke(@CurrentIdentity() who: Identity, @Param('name', new ZodPipe(tokenName, 'name')) name: string) {
    await this.tokens.revoke(who.user, name);
  }
}
