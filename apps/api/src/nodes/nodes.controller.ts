import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { listNodesQuery, nodeNameParams, type ListNodesQuery } from '@pvefleet/contracts';
import { DriftRecompute } from '@pvefleet/desired/state';
import { createNodeSchema, NodeRepository, NodesService, updateNodeSchema, type CreateNode, type UpdateNode } from '@pvefleet/nodes';
import { toNodeNextWindow, WindowsService } from '@pvefleet/schedules/state';
import { ZodPipe } from '../common/zod.pipe';

export const nodeNameParam = new ZodPipe(nodeNameParams.shape.name, 'name');

/** Contracts: libs/contracts/src/nodes.contract.ts. */
@Controller('nodes')
export class NodesController {
  constructor(
    private readonly nodes: NodesService,
    @Inject(NodeRepository) private readonly repo: NodeRepository,
    @Inject(DriftRecompute) private readonly drift: DriftRecompute,
    @Inject(WindowsService) private readonly windows: WindowsService,
  ) {}

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
  async get(@Param('name', nodeNameParam) name: string) {
    const node = await this.nodes.get(name);
    return { ...node, nextWindow: toNodeNextWindow(await this.windows.nextForNode(name)) };
  }

  @Patch(':name')
  async update(@Param('name', nodeNameParam) name: string, @Body(new ZodPipe(updateNodeSchema)) body: UpdateNode) {
    const view = await this.nodes.update(name, body);
    // Labels decide which profiles select the node: its drift follows now, not at its next facts read.
    if (body.labels !== undefined) {
      const node = await this.repo.findByName(name);
      if (node) await this.drift.forNode(node.id);
    }
    return view;
  }

  @Delete(':name')
  @HttpCode(204)
  async remove(@Param('name', nodeNameParam) name: string) {
    await this.nodes.delete(name);
  }
}
