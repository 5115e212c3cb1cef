import type { SimCluster } from './cluster';
import type { Guest } from './guests';
import { guestConfig, guestConfigPath } from './seed-pmxcfs';

/** Moves a guest and its config file between node directories, as a migration does in pmxcfs. */
export function moveGuest(cluster: SimCluster, guest: Guest, target: string): void {
  const from = guestConfigPath(guest.node, guest);
  const entry = cluster.pmxcfs.get(from);
  cluster.pmxcfs.delete(from);
  guest.node = target;
  const to = guestConfigPath(target, guest);
  cluster.pmxcfs.set(to, entry ?? { kind: 'file', content: guestConfig(guest), mtime: cluster.sim.now(), mode: 0o640 });
}

/** The least loaded online node not in maintenance, other than `exclude`. */
export function pickTarget(cluster: SimCluster, exclude: string): string | undefined {
  const candidates = cluster.online().filter((n) => n.name !== exclude && !cluster.maintenance.has(n.name));
  candidates.sort((a, b) => cluster.guestsOn(a.name).length - cluster.guestsOn(b.name).length || a.name.localeCompare(b.name));
  return candidates[0]?.name;
}

/**
 * `ha-manager crm-command node-maintenance enable|disable NODE`: after the
 * CRM's delay, HA guests leave the node (and later come back to it).
 */
export function setMaintenance(cluster: SimCluster, node: string, enable: boolean): void {
  const delay = cluster.sim.options.haDelayMs;
  if (enable) {
    cluster.maintenance.add(node);
    const leaving = cluster.guestsOn(node).filter((g) => g.ha);
    leaving.forEach((g) => (g.haMigrating = !g.migrationFailure));
    cluster.sim.scheduler.after(delay, () => {
      for (const g of leaving) {
        g.haMigrating = false;
        if (g.node !== node || g.migrationFailure || !cluster.maintenance.has(node)) continue;
        const target = pickTarget(cluster, node);
        if (!target) continue;
        moveGuest(cluster, g, target);
        g.haOrigin = node;
      }
    });
    return;
  }
  cluster.maintenance.delete(node);
  const returning = [...cluster.guests.values()].filter((g) => g.haOrigin === node);
  returning.forEach((g) => (g.haMigrating = true));
  cluster.sim.scheduler.after(delay, () => {
    for (const g of returning) {
      g.haMigrating = false;
      if (cluster.maintenance.has(node) || cluster.node(node)?.power !== 'online' || g.migrationFailure) continue;
      moveGuest(cluster, g, node);
      g.haOrigin = undefined;
    }
  });
}
