/** A VM or container, cluster-wide; `node` is where it currently runs. */
export interface Guest {
  vmid: number;
  type: 'qemu' | 'lxc';
  name: string;
  node: string;
  status: 'running' | 'stopped';
  memMb: number;
  diskGb: number;
  /** HA-managed (`ha-manager` resource `vm:<id>` / `ct:<id>`). */
  ha: boolean;
  /** Where HA moved it from when its node entered maintenance. */
  haOrigin?: string;
  /** True while HA is moving it (shown as `migrate` by ha-manager status). */
  haMigrating?: boolean;
  /** Fault: the next migrations fail with this error and the guest stays put. */
  migrationFailure?: string;
}

export const haSid = (g: Guest): string => `${g.type === 'qemu' ? 'vm' : 'ct'}:${g.vmid}`;

/** Deterministic guest seed: VMIDs 100+ cluster-wide, first VM per node HA-managed. */
export function seedGuests(nodes: string[], perNode: { vms: number; cts: number }, haEnabled: boolean): Guest[] {
  const guests: Guest[] = [];
  let vmid = 100;
  nodes.forEach((node) => {
    for (let i = 0; i < perNode.vms; i++) {
      guests.push({ vmid, type: 'qemu', name: `vm-${vmid}`, node, status: 'running', memMb: 2048, diskGb: 32, ha: haEnabled && i === 0 });
      vmid++;
    }
    for (let i = 0; i < perNode.cts; i++) {
      guests.push({ vmid, type: 'lxc', name: `ct-${vmid}`, node, status: 'running', memMb: 512, diskGb: 8, ha: false });
      vmid++;
    }
  });
  return guests;
}
