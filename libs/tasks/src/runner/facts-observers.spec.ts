import { Injectable, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { NodeFacts } from '@pvefleet/jobs';
import { describe, expect, it } from 'vitest';
import { ObservesFacts, type FactsObserver } from '../facts-observer';
import { FactsObservers } from './facts-observers';

const seen: string[] = [];

@Injectable()
@ObservesFacts('drift')
class Drift implements FactsObserver {
  observe(): Record<string, unknown> {
    return { ntp: ['a'] };
  }
  async factsChanged(nodeId: number, facts: NodeFacts | null): Promise<void> {
    seen.push(`drift ${nodeId} ${facts ? 'facts' : 'failed'}`);
    await Promise.reject(new Error('database away'));
  }
}

@Injectable()
@ObservesFacts('certificate history')
class History implements FactsObserver {
  async factsChanged(nodeId: number): Promise<void> {
    seen.push(`history ${nodeId}`);
    await Promise.resolve();
  }
}

/** Observers live in other modules than the runner, as in the worker. */
@Module({ providers: [Drift] })
class DriftLib {}
@Module({ providers: [History] })
class HistoryLib {}

describe('FactsObservers', () => {
  it('finds every @ObservesFacts provider; one failing stops none of the others', async () => {
    const app = await Test.createTestingModule({ imports: [DiscoveryModule, DriftLib, HistoryLib], providers: [FactsObservers] }).compile();
    await app.init();
    const observers = app.get(FactsObservers);
    expect(observers.observe({} as NodeFacts)).toEqual({ ntp: ['a'] });
    expect(await observers.changed(7, {} as NodeFacts)).toEqual([{ what: 'drift', error: 'internal error: database away' }]);
    expect(seen).toEqual(['drift 7 facts', 'history 7']);
    await app.close();
  });

  it('without observers: nothing observed (node.observed left alone), nothing to fail', async () => {
    const app = await Test.createTestingModule({ imports: [DiscoveryModule], providers: [FactsObservers] }).compile();
    await app.init();
    expect(app.get(FactsObservers).observe({} as NodeFacts)).toBeUndefined();
    expect(await app.get(FactsObservers).changed(1, null)).toEqual([]);
    await app.close();
  });
});
