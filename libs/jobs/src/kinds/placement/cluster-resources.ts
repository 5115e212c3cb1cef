import { PVE_NODE } from '../../formats';
import { finiteNumber, isRecord, parseJson } from '../facts/parse/json';

/** One `--type node` entry of `pvesh get /cluster/resources`: memory in bytes (absent while offline). */
export interface NodeResource {
  node: string;
  online: boolean;
  mem: number;
  maxmem: number;
}

/** One `--type vm` entry: a VM (`qemu`) or a container (`lxc`), wherever in the cluster it is. */
export interface GuestResource {
  vmid: number;
  type: 'qemu' | 'lxc';
  name: string;
  node: string;
  running: boolean;
  /** Configured memory, bytes: what the guest needs wherever it runs. */
  maxmem: number;
  template: boolean;
  /** HA-managed (`hastate` present): the CRM, not pvefleet, decides where it runs in maintenance. */
  ha: boolean;
}

export const NODE_RESOURCES = 'pvesh get /cluster/resources --type node --output-format json';
export const GUEST_RESOURCES = 'pvesh get /cluster/resources --type vm --output-format json';

const entries = (stdout: string): Record<string, unknown>[] => {
  const value = parseJson(stdout.trim());
  return Array.isArray(value) ? value.filter(isRecord) : [];
};

/**
 * The cluster's nodes as `/cluster/resources --type node` lists them. Entries whose name is not a
 * Proxmox node name are dropped: names from here end up in commands.
 */
export function parseNodeResources(stdout: string): NodeResource[] {
  return entries(stdout)
    .filter((e) => e.type === 'node' && typeof e.node === 'string' && PVE_NODE.test(e.node))
    .map((e) => ({
      node: e.node as string,
      online: e.status === 'online',
      mem: finiteNumber(e.mem) ?? 0,
      maxmem: finiteNumber(e.maxmem) ?? 0,
    }));
}

/** Every guest of the cluster as `/cluster/resources --type vm` lists it (ids and node names validated). */
export function parseGuestResources(stdout: string): GuestResource[] {
  return entries(stdout)
    .filter(
      (e) =>
        (e.type === 'qemu' || e.type === 'lxc') &&
        Number.isInteger(e.vmid) &&
        (e.vmid as number) >= 1 &&
        typeof e.node === 'string' &&
        PVE_NODE.test(e.node),
    )
    .map((e) => ({
      vmid: e.vmid as number,
      type: e.type as 'qemu' | 'lxc',
      name: typeof e.name === 'string' ? e.name : '',
      node: e.node as string,
      running: e.status === 'running',
      maxmem: finiteNumber(e.maxmem) ?? 0,
      template: finiteNumber(e.template) === 1,
      ha: typeof e.hastate === 'string' && e.hastate !== '',
    }))
    .sort((a, b) => a.vmid - b.vmid);
}

export const MiB = 1024 * 1024;
export const mib = (bytes: number): number => Math.round(bytes / MiB);
/** `VM 101` / `CT 105`, as Proxmox's own logs name guests. */
export const guestName = (g: { type: 'qemu' | 'lxc'; vmid: number }): string => `${g.type === 'qemu' ? 'VM' : 'CT'} ${g.vmid}`;
