import type { Clock } from '@pvefleet/config';
import type { RolloutRepository } from './rollout.repository';
import type { RolloutNodeRow, RolloutRow } from './rollout.types';
import type { RolloutWindows } from './rollout-windows';

/** Without a fitting opening within a year: look again this much later (a window may be added or changed). */
const RELOOK_MS = 60 * 60_000;

/**
 * A batch's maintenance-window gate, asked before its first node work (and its cluster pre-flight):
 * while any of its nodes is outside its window, or the window has too little left for that node's
 * expected work, the rollout waits at the batch boundary. The wait is one `next_batch_at` and one
 * event naming the window and its opening; ticks until then do nothing, and at that time the batch
 * is asked about again (a window changed meanwhile is seen then).
 */
export class BatchWindowGate {
  constructor(
    private readonly store: RolloutRepository,
    private readonly windows: RolloutWindows | undefined,
    private readonly clock: Clock,
  ) {}

  /** Whether the batch `b` (none of whose nodes has started) must wait now. */
  async waits(ro: RolloutRow, b: number, pending: readonly RolloutNodeRow[]): Promise<boolean> {
    if (!this.windows) return false;
    const now = this.clock.now();
    if (ro.nextBatchAt && new Date(ro.nextBatchAt).getTime() > now.getTime()) return true;
    const wait = await this.windows.batchWait(
      pending.map((n) => ({ node: n.node, nodeId: n.nodeId })),
      now,
    );
    if (!wait) {
      // The batch starts: a stale wait must not pass for the pause after it (batchFinished reads the same column).
      if (ro.nextBatchAt) {
        await this.store.update(ro.id, { nextBatchAt: null });
        ro.nextBatchAt = null;
      }
      return false;
    }
    const at = wait.at ?? new Date(now.getTime() + RELOOK_MS);
    await this.store.update(ro.id, { nextBatchAt: at });
    ro.nextBatchAt = at;
    const batch = `batch ${b + 1}/${ro.batches.length}`;
    const window = wait.window === null ? 'its maintenance window' : `maintenance window '${wait.window}'`;
    await this.store.event(
      ro.id,
      wait.at
        ? `${batch}: waiting for ${window} of ${wait.node}: starts at ${at.toISOString()}`
        : `${batch}: no opening of ${window} of ${wait.node} within a year leaves room for its expected work: looking again at ${at.toISOString()}`,
      { level: 'warn', node: wait.node },
    );
    return true;
  }
}
