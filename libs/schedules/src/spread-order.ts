import { createHash } from 'node:crypto';

/**
 * When each node's task of a run may start: the nodes ordered by a hash of the schedule id and the
 * node name (the same order at every run, unlike Proxmox's random delay, and different between
 * schedules so two schedules do not always pick the same first node), spaced evenly over `spreadMinutes`.
 * The first node starts at the fire time; with no spread every node does.
 */
export function spreadOffsets(scheduleId: number, nodes: readonly string[], spreadMinutes: number): Map<string, number> {
  const ordered = [...nodes].sort((a, b) => compare(rank(scheduleId, a), rank(scheduleId, b)) || compare(a, b));
  const stepMs = ordered.length ? (spreadMinutes * 60_000) / ordered.length : 0;
  return new Map(ordered.map((node, i) => [node, Math.floor(i * stepMs)]));
}

function rank(scheduleId: number, node: string): string {
  return createHash('sha256').update(`${scheduleId}\0${node}`).digest('hex');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
