import type { NodeFacts } from '../../node-facts';

/**
 * One short line for task logs: what a fleet view shows first (version, kernel, pending upgrades,
 * pools and storages), so a log says what was recorded without dumping the facts.
 */
export function describeFacts(f: NodeFacts): string {
  const parts = [
    f.pveManagerVersion ? `pve-manager ${f.pveManagerVersion}` : 'no PVE',
    `kernel ${f.kernel || 'unknown'}${f.kernels?.rebootRequired ? ' (reboot required)' : ''}`,
  ];
  if (f.upgradable) parts.push(`${f.upgradable.length} upgradable`);
  if (f.pools) parts.push(`${f.pools.length} ZFS pool${f.pools.length === 1 ? '' : 's'}`);
  if (f.storages) parts.push(`${f.storages.length} storage${f.storages.length === 1 ? '' : 's'}`);
  return parts.join(', ');
}
