import { DiscoveryService } from '@nestjs/core';
import type { NodeFacts } from '@pvefleet/jobs';

/**
 * What follows a node's facts, without this package knowing it: desired state (`node.observed`,
 * then drift), the certificate history. Each is a provider marked `@ObservesFacts('<what>')` in the
 * lib that owns it; the worker's task runner finds them all at start (Nest's DiscoveryService), so
 * this package never imports them (desired state itself submits tasks through this package).
 */
export interface FactsObserver {
  /**
   * The compact observation stored with the facts in `node.observed` (pure, synchronous). Only
   * desired state gives one; the observations of several observers are merged.
   */
  observe?(facts: NodeFacts): Record<string, unknown>;
  /** After the node's facts were stored (`facts`), or its facts collection failed (`null`). */
  factsChanged(nodeId: number, facts: NodeFacts | null): Promise<void>;
}

/** Marks a provider as a FactsObserver; the value says what it keeps, for log lines ("drift"). */
export const ObservesFacts = DiscoveryService.createDecorator<string>();

/**
 * A facts task that ended with one of these never reached the node (or did not finish reading it):
 * the node's drift is then `unknown` until facts are read again.
 */
export const UNREACHABLE_FACTS_CLASSES: readonly string[] = ['host-key', 'auth', 'retryable', 'timeout', 'interrupted'];
