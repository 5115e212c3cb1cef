import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { overrideSchema, type OverrideBody } from '@pvefleet/contracts';
import { NodeDesiredService, toOverrideView } from '@pvefleet/desired/state';
import { CurrentIdentity, type Identity } from '../auth/identity';
import { ZodPipe } from '../common/zod.pipe';
import { nodeNameParam } from '../nodes/nodes.controller';

/** Contracts: libs/contracts/src/desired.contract.ts. A node's override and its merged desired state. */
@Controller('nodes/:name')
export class NodeDesiredController {
  constructor(private readonly desired: NodeDesiredService) {}

  @Get('override')
  async override(@Param('name', nodeNameParam) name: string) {
    return toOverrideView(name, await this.desired.override(name));
  }

  @Put('override')
  async putOverride(
    @CurrentIdentity() who: Identity,
    @Param('name', nodeNameParam) name: string,
    @Body(new ZodPipe(overrideSchema)) body: OverrideBody,
  ) {
    return toOverrideView(name, await this.desired.putOverride(name, body.fields, who.id));
  }

  @Delete('override')
  @HttpCode(204)
  async removeOverride(@CurrentIdentity() who: Identity, @Param('name', nodeNameParam) name: string) {
    await this.desired.removeOverride(name, who.id);
  }

  @Get('desired')
  async get(@Param('name', nodeNameParam) name: string) {
    return { node: name, fields: await this.desired.desired(name) };
  }
}
