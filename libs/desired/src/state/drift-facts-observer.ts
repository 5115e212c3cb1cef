import { Inject, Injectable } from '@nestjs/common';
import type { NodeFacts } from '@pvefleet/jobs';
import { ObservesFacts, type FactsObserver } from '@pvefleet/tasks';
import { observeAll } from '../drift';
import { DriftRecompute } from './drift-recompute';

/** In the worker: each node's facts become its observation, and its drift follows at once. */
@Injectable()
@ObservesFacts('drift')
export class DriftFactsObserver implements FactsObserver {
  constructor(@Inject(DriftRecompute) private readonly drift: DriftRecompute) {}

  observe(facts: NodeFacts): Record<string, unknown> {
    return observeAll(facts);
  }

  async factsChanged(nodeId: number): Promise<void> {
    await this.drift.forNode(nodeId);
  }
}
