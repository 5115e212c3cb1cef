import { Inject, Injectable } from '@nestjs/common';
import { windowVerdict } from '../windows';
import type { HeldTask, TaskReleaseGate } from './task-release-gate';
import { definitionOf } from './windows-documents';
import { WindowsRepository } from './windows-repository';
import { WindowsWorkHistory } from './windows-work-history';

/** A held task is looked at again at least this often while it waits, so a window added or widened meanwhile counts. */
export const RELOOK_MS = 15 * 60_000;

/**
 * TASK_RELEASE_GATE of maintenance windows: a due held task that is mutating and whose node has
 * enabled windows starts only inside one with room for its expected duration; otherwise it is looked
 * at again at its next fitting opening (or sooner, every RELOOK_MS). Read-only tasks and nodes with
 * no window are never held back.
 */
@Injectable()
export class WindowsReleaseGate implements TaskReleaseGate {
  constructor(
    @Inject(WindowsRepository) private readonly windows: WindowsRepository,
    @Inject(WindowsWorkHistory) private readonly history: WindowsWorkHistory,
  ) {}

  async decide(due: readonly HeldTask[], now: Date): Promise<Map<string, 'release' | Date>> {
    const out = new Map<string, 'release' | Date>();
    const gated = due.filter((t): t is HeldTask & { nodeId: number } => t.mutating && t.nodeId !== null);
    const byNode = await this.windows.forNodes({ ids: [...new Set(gated.map((t) => t.nodeId))] });
    const expected = new Map<string, Promise<number>>();
    for (const t of due) {
      const windows = t.mutating && t.nodeId !== null ? byNode.get(t.nodeId) : undefined;
      if (!windows) {
        out.set(t.id, 'release');
        continue;
      }
      const key = `${t.type}:${t.nodeId}`;
      let ms = expected.get(key);
      if (!ms) {
        ms = this.history.taskMs(t.type, t.nodeId);
        expected.set(key, ms);
      }
      const verdict = windowVerdict(windows.map(definitionOf), now, await ms);
      if (verdict.kind !== 'wait') out.set(t.id, 'release');
      else out.set(t.id, new Date(Math.min(verdict.next?.start.getTime() ?? Infinity, now.getTime() + RELOOK_MS)));
    }
    return out;
  }
}
