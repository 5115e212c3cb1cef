import type { SimNode } from './node';

export type UnitState = 'active' | 'inactive' | 'failed' | 'activating' | 'reloading';

const ALIASES: Record<string, string> = { chronyd: 'chrony', sshd: 'ssh', 'pve-manager': 'pve-guests' };

/** `chrony.service` → `chrony`; aliases resolved the way systemd resolves them. */
export function unitName(raw: string): string {
  const base = raw.replace(/\.service$/, '');
  return ALIASES[base] ?? base;
}

/** Units a node has, in the default state they boot into. */
export function knownUnits(node: SimNode): string[] {
  const units = [
    'pve-cluster',
    'pvedaemon',
    'pveproxy',
    'pvestatd',
    'pve-firewall',
    'pvescheduler',
    'spiceproxy',
    'pve-ha-lrm',
    'pve-ha-crm',
    'pve-guests',
    'ssh',
    'cron',
    'rrdcached',
    'ksmtuned',
    'zfs-zed',
    'networking',
    'postfix',
    'systemd-journald',
  ];
  if (!node.cluster.standalone) units.push('corosync');
  units.push(node.timesync === 'chrony' ? 'chrony' : 'systemd-timesyncd');
  const ceph = node.cluster.ceph;
  if (ceph) {
    units.push('ceph.target', 'ceph-osd.target', ...ceph.osdsOf(node.name).map((id) => `ceph-osd@${id}`));
    if (ceph.mons.includes(node.name)) units.push(`ceph-mon@${node.name}`, `ceph-mgr@${node.name}`);
  }
  return units;
}

/** What `systemctl is-active` reports; undefined for a unit that does not exist. */
export function unitState(node: SimNode, raw: string): UnitState | undefined {
  const name = unitName(raw);
  if (node.transientTimers.has(name)) return 'active';
  const override = node.unitOverrides?.get(name);
  if (override) return override;
  if (name.endsWith('.target') || name.endsWith('.timer') || name.endsWith('.socket'))
    return knownUnits(node).includes(name) || /^(multi-user|network|time-sync|pve-daily-update)/.test(name) ? 'active' : undefined;
  return knownUnits(node).includes(name) ? 'active' : undefined;
}
