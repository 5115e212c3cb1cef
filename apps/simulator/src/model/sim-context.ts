import type { ResolvedOptions } from '../options';
import { Rng } from '../util/rng';
import { Scheduler } from './scheduler';

/** What every node and cluster shares: options, timers and the clock. */
export interface SimContext {
  readonly options: ResolvedOptions;
  readonly scheduler: Scheduler;
  readonly rng: Rng;
  now(): number;
}
