import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { NodeFacts } from '@pvefleet/jobs';
import { ObservesFacts, type FactsObserver } from '../facts-observer';
import { describeFailure } from '../task-failure';

/** One observer that failed on a node's facts, and why. */
export interface ObserverFailure {
  what: string;
  error: string;
}

/** Every `@ObservesFacts` provider of the application, found once at start, called in turn. */
@Injectable()
export class FactsObservers implements OnModuleInit {
  private observers: { what: string; observer: FactsObserver }[] = [];

  constructor(@Inject(DiscoveryService) private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    this.observers = this.discovery
      .getProviders({ metadataKey: ObservesFacts.KEY })
      .filter((w) => w.instance !== undefined && w.instance !== null)
      .map((w) => ({
        what: this.discovery.getMetadataByDecorator(ObservesFacts, w) ?? String(w.name),
        observer: w.instance as FactsObserver,
      }));
  }

  /** `node.observed`: the observers' observations merged; undefined (left alone) when none observes. */
  observe(facts: NodeFacts): Record<string, unknown> | undefined {
    const parts = this.observers.flatMap(({ observer }) => (observer.observe ? [observer.observe(facts)] : []));
    return parts.length ? parts.reduce<Record<string, unknown>>((all, part) => ({ ...all, ...part }), {}) : undefined;
  }

  /** Each observer in turn; one failing stops none of the others. Returns the failures. */
  async changed(nodeId: number, facts: NodeFacts | null): Promise<ObserverFailure[]> {
    const failures: ObserverFailure[] = [];
    for (const { what, observer } of this.observers) {
      try {
        await observer.factsChanged(nodeId, facts);
      } catch (err) {
        failures.push({ what, error: describeFailure(err) });
      }
    }
    return failures;
  }
}
