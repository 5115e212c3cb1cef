import type { NodeFacts } from '@pvefleet/jobs';

/**
 * What the worker tells about a node's facts, and asks of them, without knowing desired state:
 * `@pvefleet/desired/state` provides it (FACTS_OBSERVER) in the worker, so this package never
 * imports desired state (which itself submits tasks through this package).
 */
export interface FactsObserver {
  /** The compact observation stored with the facts in `node.observed` (pure, synchronous). */
  observe(facts: NodeFacts): Record<string, unknown>;
  /** After the node's facts were stored, or its facts collection failed: its drift follows. */
  factsChanged(nodeId: number): Promise<void>;
}

export const FACTS_OBSERVER = Symbol('FACTS_OBSERVER');

/**
 * A facts task that ended with one of these never reached the node (or did not finish reading it):
 * the node's drift is then `unknown` until facts are read again.
 */
export const UNREACHABLE_FACTS_CLASSES: readonly string[] = ['host-key', 'auth', 'retryable', 'timeout', 'interrupted'];
