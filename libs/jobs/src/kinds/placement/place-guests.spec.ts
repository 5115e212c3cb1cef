import { describe, expect, it } from 'vitest';
import { parseGuestResources, parseNodeResources, type GuestResource, type NodeResource } from './cluster-resources';
import { placeGuests } from './place-guests';
import { migrateCommand, migrateCommands } from './guest-migration';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const node = (name: string, usedGiB: number, totalGiB = 32, online = true): NodeResource => ({
  node: name,
  online,
  mem: usedGiB * GiB,
  maxmem: totalGiB * GiB,
});
let nextId = 100;
const guest = (on: string, memMiB: number, over: Partial<GuestResource> = {}): GuestResource => ({
  vmid: nextId++,
  type: 'qemu',
  name: 'g',
  node: on,
  running: true,
  maxmem: memMiB * MiB,
  template: false,
  ha: false,
  ...over,
});

describe('placeGuests', () => {
  it('spreads guests over the eligible nodes, most free memory first, instead of piling them on one', () => {
    const nodes = [node('pve1', 10), node('pve2', 2), node('pve3', 2), node('pve4', 2), node('pve5', 2)];
    const leaving = [guest('pve1', 2048), guest('pve1', 2048), guest('pve1', 2048), guest('pve1', 2048)];
    const p = placeGuests({ nodes, guests: leaving }, 'pve1', ['pve2', 'pve3', 'pve4', 'pve5']);
    expect('moves' in p && p.moves.map((m) => m.to).sort()).toEqual(['pve2', 'pve3', 'pve4', 'pve5']);
  });

  it('counts what it placed before: eight guests over two equal nodes go four and four', () => {
    const guests = Array.from({ length: 8 }, () => guest('pve1', 1024));
    const p = placeGuests({ nodes: [node('pve1', 9), node('pve2', 4), node('pve3', 4)], guests }, 'pve1', ['pve2', 'pve3']);
    const to = 'moves' in p ? p.moves.map((m) => m.to) : [];
    expect(to.filter((t) => t === 'pve2')).toHaveLength(4);
    expect(to.filter((t) => t === 'pve3')).toHaveLength(4);
  });

  it('prefers the node with fewer running guests when free memory is equal, then the name', () => {
    const busy = [guest('pve2', 0), guest('pve2', 0)];
    const p = placeGuests({ nodes: [node('pve1', 4), node('pve2', 4), node('pve3', 4)], guests: [...busy, guest('pve1', 1024)] }, 'pve1', [
      'pve2',
      'pve3',
    ]);
    expect('moves' in p && p.moves[0].to).toBe('pve3');
  });

  it('places the largest guest first, so a big one still finds room', () => {
    const nodes = [node('pve1', 20), node('pve2', 16), node('pve3', 24)];
    const p = placeGuests({ nodes, guests: [guest('pve1', 4096), guest('pve1', 12 * 1024)] }, 'pve1', ['pve2', 'pve3']);
    expect('moves' in p && p.moves.map((m) => [m.vmid - p.moves[0].vmid, m.to])).toEqual([
      [0, 'pve3'],
      [1, 'pve2'],
    ]);
  });

  it('refuses with the numbers when no node has room, rather than overfilling one', () => {
    const big = guest('pve1', 40_000);
    const p = placeGuests({ nodes: [node('pve1', 30), node('pve2', 8), node('pve3', 4)], guests: [big] }, 'pve1', ['pve2', 'pve3']);
    expect(p).toEqual({
      refused: `no node has room for VM ${big.vmid}: it needs 40000 MiB, the node with the most free memory, pve3, has 28672 MiB free (of pve2, pve3)`,
    });
  });

  it('ignores nodes that are not eligible or offline; stopped guests need no memory and go where fewest run', () => {
    const stopped = guest('pve1', 64_000, { running: false, type: 'lxc' });
    const p = placeGuests(
      { nodes: [node('pve1', 4), node('pve2', 30), node('pve3', 2, 32, false), node('pve4', 2)], guests: [stopped, guest('pve4', 1024)] },
      'pve1',
      ['pve2', 'pve3'],
    );
    expect(p).toEqual({ moves: [{ vmid: stopped.vmid, type: 'lxc', name: 'g', running: false, from: 'pve1', to: 'pve2' }] });
    expect(placeGuests({ nodes: [node('pve1', 4), node('pve3', 2, 32, false)], guests: [guest('pve1', 1)] }, 'pve1', ['pve3'])).toEqual({
      refused: 'no node to move 1 guests to: none of pve3 is online in the cluster',
    });
  });

  it('nothing on the node: nothing to move', () => {
    expect(placeGuests({ nodes: [node('pve1', 2)], guests: [guest('pve2', 1)] }, 'pve1', [])).toEqual({ moves: [] });
  });
});

describe('cluster resources and migration commands', () => {
  it('reads pvesh get /cluster/resources --type node / --type vm, dropping what cannot be a node name', () => {
    const nodes = parseNodeResources(
      '[{"id":"node/pve1","maxmem":33537990656,"mem":4294967296,"node":"pve1","status":"online","type":"node"},{"id":"node/pve2","node":"pve2","status":"offline","type":"node"},{"node":"x;y","status":"online","type":"node"}]\n',
    );
    expect(nodes).toEqual([
      { node: 'pve1', online: true, mem: 4294967296, maxmem: 33537990656 },
      { node: 'pve2', online: false, mem: 0, maxmem: 0 },
    ]);
    const guests = parseGuestResources(
      '[{"hastate":"started","id":"qemu/100","maxmem":2147483648,"name":"vm-100","node":"pve1","status":"running","template":0,"type":"qemu","vmid":100},{"id":"lxc/101","maxmem":536870912,"name":"ct-101","node":"pve2","status":"stopped","type":"lxc","vmid":101},{"id":"storage/pve1/local","type":"storage"}]',
    );
    expect(guests).toEqual([
      { vmid: 100, type: 'qemu', name: 'vm-100', node: 'pve1', running: true, maxmem: 2147483648, template: false, ha: true },
      { vmid: 101, type: 'lxc', name: 'ct-101', node: 'pve2', running: false, maxmem: 536870912, template: false, ha: false },
    ]);
    expect(parseGuestResources('not json')).toEqual([]);
  });

  it('qm migrate --online / pct migrate --restart for running guests, offline otherwise', () => {
    expect(migrateCommand({ vmid: 100, type: 'qemu', running: true, to: 'pve2' })).toBe('qm migrate 100 pve2 --online');
    expect(migrateCommand({ vmid: 101, type: 'lxc', running: true, to: 'pve2' })).toBe('pct migrate 101 pve2 --restart');
    expect(migrateCommand({ vmid: 102, type: 'qemu', running: false, to: 'pve3' })).toBe('qm migrate 102 pve3');
    expect(migrateCommands([])).toBeNull();
  });
});
