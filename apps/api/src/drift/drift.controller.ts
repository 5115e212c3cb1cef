import { Body, Controller, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import {
  fleetDriftQuery,
  reconcileRequestSchema,
  type FleetDriftBody,
  type FleetDriftQueryParams,
  type NodeDriftBody,
  type ReconcileAnswerBody,
  type ReconcileRequestBody,
} from '@pvefleet/contracts';
import { DriftQueryService, ReconcileService } from '@pvefleet/desired/state';
import type { Response } from 'express';
import { CurrentIdentity, type Identity } from '../auth/identity';
import { ZodPipe } from '../common/zod.pipe';
import { nodeNameParam } from '../nodes/nodes.controller';

/** Contracts: libs/contracts/src/drift.contract.ts. Drift per node and for the fleet, and reconcile. */
@Controller()
export class DriftController {
  constructor(
    @Inject(DriftQueryService) private readonly drift: DriftQueryService,
    @Inject(ReconcileService) private readonly reconciles: ReconcileService,
  ) {}

  @Get('nodes/:name/drift')
  node(@Param('name', nodeNameParam) name: string): Promise<NodeDriftBody> {
    return this.drift.node(name);
  }

  @Get('drift')
  fleet(@Query(new ZodPipe(fleetDriftQuery, 'query')) q: FleetDriftQueryParams): Promise<FleetDriftBody> {
    return this.drift.fleet(q);
  }

  /** 202 when tasks were asked for, 200 for a dry run (nothing started). */
  @Post('reconcile')
  async reconcile(
    @CurrentIdentity() who: Identity,
    @Body(new ZodPipe(reconcileRequestSchema)) body: ReconcileRequestBody,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ReconcileAnswerBody> {
    const answer = await this.reconciles.reconcile(body, who.id);
    res.status(body.dryRun ? 200 : 202);
    return answer;
  }
}
