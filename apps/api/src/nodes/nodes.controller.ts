import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { listNodesQuery, nodeNameParams, type ListNodesQuery } from '@pvefleet/contracts';
import { createNodeSchema, NodesService, updateNodeSchema, type CreateNode, type UpdateNode } from '@pvefleet/nodes';
import { ZodPipe } from '../common/zod.pipe';

export const nodeNameParam = new ZodPipe(nodeNameParams.shape.name, 'name');

/** Contracts: libs/contracts/src/nodes.contract.ts. */
@Controller('nodes')
export class NodesController {
  constructor(private readonly nodes: NodesService) {}

  @Post()
  create(@Body(new ZodPipe(createNodeSchema)) body: CreateNode) {
    return this.nodes.create(body);
  }

  @Get()
  async list(@Query(new ZodPipe(listNodesQuery, 'query')) q: ListNodesQuery) {
    const { data, total } = await this.nodes.list({
      labels: q.label,
      ...(q.cluster ? { cluster: q.cluster } : {}),
      ...(q.q ? { text: q.q } : {}),
      facts: q.facts,
      start: q.start,
      limit: q.limit,
    });
    return { total, start: q.start, limit: q.limit, data };
  }

  @Get(':name')
  get(@Param('name', nodeNameParam) name: string) {
    return this.nodes.get(name);
  }

  @Patch(':name')
  update(@Param('name', nodeNameParam) name: string, @Body(new ZodPipe(updateNodeSchema)) body: UpdateNode) {
    return this.nodes.update(name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  async remove(@Param('name', nodeNameParam) name: string) {
    await this.nodes.delete(name);
  }
}
