import { Inject, Injectable } from '@nestjs/common';
import type { BatchWindowWait, RolloutWindows } from '@pvefleet/rollouts';
import { batchStart } from '../windows';
import { definitionOf } from './windows-documents';
import { WindowsRepository } from './windows-repository';
import { WindowsWorkHistory } from './windows-work-history';

/**
 * ROLLOUT_WINDOWS: a batch starts its node work when every node of it is inside a window with room
 * for its expected rollout work (the median of its last finished rollouts, see WindowsWorkHistory),
 * or has no window.
 */
@Injectable()
export class WindowsRolloutGate implements RolloutWindows {
  constructor(
    @Inject(WindowsRepository) private readonly windows: WindowsRepository,
    @Inject(WindowsWorkHistory) private readonly history: WindowsWorkHistory,
  ) {}

  async batchWait(nodes: readonly { node: string; nodeId: number | null }[], now: Date): Promise<BatchWindowWait | null> {
    const ids = nodes.map((n) => n.nodeId).filter((id): id is number => id !== null);
    const byNode = await this.windows.forNodes({ ids });
    const members = [];
    for (const n of nodes) {
      const windows = n.nodeId === null ? undefined : byNode.get(n.nodeId);
      if (windows) members.push({ node: n.node, windows: windows.map(definitionOf), expectedMs: await this.history.rolloutNodeMs(n.node) });
    }
    if (!members.length) return null;
    const start = batchStart(members, now);
    return start.now ? null : { node: start.blocker.node, window: start.blocker.window, at: start.at };
  }
}
