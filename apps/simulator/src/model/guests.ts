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
  /** `onboot: 1`: started again when its node boots (pve-guests.service runs startall). */
  onboot: boolean;
  /**
   * How often it was still running when its node went down (reboot or power loss): what a reboot
   * "with running guests" did to it. pve-guests.service stops guests on shutdown, so they survive
   * only as stopped (and start again with onboot); a test reads this to prove none was running.
   */
  killedByNodeDown: number;
}

/** The node's RAM, as `/nodes/{node}/status` and `/cluster/resources` report it: 32 GB, 2 GiB used by the host itself. */
export const NODE_MEMORY = { total: 33537990656, hostUsed: 2 * 1024 ** 3 };

/** Memory in use on a node, bytes: the host's own plus every running guest's configured memory. */
export function memoryUsed(guests: Guest[]): number {
  return NODE_MEMORY.hostUsed + guests.filter((g) => g.status === 'running').reduce((sum, g) => sum + g.memMb * 1024 * 1024, 0);
}

/** What happens to a node's guests when it goes down: shutdown stops them all (pve-guests stopall). */
export function stopGuestsForNodeDown(guests: Guest[]): void {
  for (const g of guests.filter((x) => x.status === 'running')) {
    g.status = 'stopped';
    g.killedByNodeDown++;
  }
}

/** What happens when a node boots: pve-guests startall starts every guest with onboot set. */
export function startGuestsOnBoot(guests: Guest[]): void {
  for (const g of guests.filter((x) => x.onboot)) g.status = 'running';
}

export const haSid = (g: Guest): string => `${g.type === 'qemu' ? 'vm' : 'ct'}:${g.vmid}`;

/** Deterministic guest seed: VMIDs 100+ cluster-wide, first VM per node HA-managed. */
export function seedGuests(nodes: string[], perNode: { vms: number; cts: number }, haEnabled: boolean): Guest[] {
  const guests: Guest[] = [];
  let vmid = 100;
  nodes.forEach((node) => {
    for (let i = 0; i < perNode.vms; i++) {
      guests.push({
        vmid,
        type: 'qemu',
        name: `vm-${vmid}`,
        node,
        status: 'running',
        memMb: 2048,
        diskGb: 32,
        ha: haEnabled && i === 0,
        onboot: true,
        killedByNodeDown: 0,
      });
      vmid++;
    }
    for (let i = 0; i < perNode.cts; i++) {
      guests.push({
        vmid,
        type: 'lxc',
        name: `ct-${vmid}`,
        node,
        status: 'running',
        memMb: 512,
        diskGb: 8,
        ha: false,
        onboot: true,
        killedByNodeDown: 0,
      });
      vmid++;
    }
  });
  return guests;
}
