import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { labels, nodeName } from '@pvefleet/jobs';
import { createNodeSchema, NodesService, updateNodeSchema, type CreateNode, type UpdateNode } from '@pvefleet/nodes';
import { z } from 'zod';
import { openApiSchema } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';

/** `?label=dc=fra&label=role=compute` */
const listQuery = z.strictObject({
  label: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .transform((pairs) => Object.fromEntries(pairs.map((p) => [p.split('=', 1)[0], p.slice(p.indexOf('=') + 1)])))
    .pipe(labels),
  /** `facts=1` adds every node's full facts to the summary. */
  facts: z
    .enum(['0', '1', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true'),
});

export const nodeNameParam = new ZodPipe(nodeName, 'name');

@ApiTags('nodes')
@ApiBearerAuth()
@Controller('nodes')
export class NodesController {
  constructor(private readonly nodes: NodesService) {}

  @Post()
  @ApiOperation({ summary: 'Register a node (credentials are encrypted at rest and never returned)' })
  @ApiBody({ schema: openApiSchema(createNodeSchema) })
  create(@Body(new ZodPipe(createNodeSchema)) body: CreateNode) {
    return this.nodes.create(body);
  }

  @Get()
  @ApiOperation({
    summary: 'The fleet at a glance: each node with a summary of its latest facts; ?label=key=value filters, ?facts=1 adds full facts',
  })
  list(@Query(new ZodPipe(listQuery, 'query')) q: z.infer<typeof listQuery>) {
    return this.nodes.list({ labels: q.label, facts: q.facts });
  }

  @Get(':name')
  get(@Param('name', nodeNameParam) name: string) {
    return this.nodes.get(name);
  }

  @Patch(':name')
  @ApiOperation({ summary: 'Change address, login, credential, labels; hostKeyFingerprint: null re-learns the host key' })
  @ApiBody({ schema: openApiSchema(updateNodeSchema) })
  update(@Param('name', nodeNameParam) name: string, @Body(new ZodPipe(updateNodeSchema)) body: UpdateNode) {
    return this.nodes.update(name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiOperation({ summary: 'Forget a node; its task history stays' })
  async remove(@Param('name', nodeNameParam) name: string) {
    await this.nodes.delete(name);
  }
}
