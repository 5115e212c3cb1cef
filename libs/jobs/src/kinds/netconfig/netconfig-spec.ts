import { z } from 'zod';

/** Linux interface names: at most 15 characters; a VLAN's is its device's name, a dot and the tag (`eno1.50`, `bond1.30`). */
const IFNAME = /^[A-Za-z][A-Za-z0-9_-]*(\.[1-9][0-9]{0,3})?$/;
/** The seed's naming conventions: bridges vmbr0 - vmbr4094, bonds bond0, bond1, … */
const BRIDGE = /^vmbr(0|[1-9][0-9]{0,3})$/;
const BOND = /^bond(0|[1-9][0-9]{0,2})$/;

/** The seven bonding modes the seed lists. */
export const BOND_MODES = ['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb'] as const;
/** `bond-xmit-hash-policy` values; meaningful for 802.3ad and balance-xor only. */
export const XMIT_HASH_POLICIES = ['layer2', 'layer2+3', 'layer3+4', 'encap2+3', 'encap3+4'] as const;
const HASHED_MODES: readonly string[] = ['802.3ad', 'balance-xor'];

export const interfaceName = z
  .string()
  .max(15, 'must be at most 15 characters (a Linux interface name)')
  .regex(IFNAME, 'must be an interface name: a letter, then letters, digits, _ or -, optionally .VLAN (e.g. eno1, bond0, eno1.50)');

const octets = (ip: string) => ip.split('.').map(Number);
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const validIpv4 = (ip: string) => IPV4.test(ip) && octets(ip).every((o) => o <= 255) && !/(^|\.)0\d/.test(ip);

export const ipv4 = z.string().max(15).refine(validIpv4, 'must be an IPv4 address (a.b.c.d)');

/** An interface address as PVE writes it: `10.0.0.11/16`. */
export const cidr4 = z
  .string()
  .max(18)
  .refine((v) => {
    const parts = v.split('/');
    return parts.length === 2 && validIpv4(parts[0]) && /^(\d|[12]\d|3[0-2])$/.test(parts[1]);
  }, 'must be an IPv4 address with its prefix length (a.b.c.d/n, n 0-32)');

/** `bridge-vids`: VLAN ids and ranges within 2-4094 (1 is the bridge's untagged PVID), e.g. `2-4094` or `10 20 100-199`. */
export const bridgeVids = z
  .string()
  .max(200)
  .refine(
    (v) =>
      v.split(/\s+/).every((part) => {
        if (!/^[1-9]\d{0,3}(-[1-9]\d{0,3})?$/.test(part)) return false;
        const [lo, hi = lo] = part.split('-').map(Number);
        return lo >= 2 && hi <= 4094 && lo <= hi;
      }),
    'must be VLAN ids or ranges within 2-4094, separated by spaces (e.g. 2-4094 or 10 20 100-199)',
  );

const addressing = {
  /** IPv4 address with prefix; on the management interface, leaving it out keeps the address it has. */
  address: cidr4.optional(),
  /** The default gateway; at most one interface has one. */
  gateway: ipv4.optional(),
};

export const netBridge = z.strictObject({
  name: z.string().regex(BRIDGE, 'must be a bridge name vmbr0 - vmbr4094'),
  /** `bridge-ports`: NICs, bonds or VLAN interfaces; none for a bridge with no uplink. */
  ports: z.array(interfaceName).max(16, 'at most 16 ports').default([]),
  ...addressing,
  /** `bridge-vlan-aware yes`: guests' NICs carry their VLAN tag through this bridge. */
  vlanAware: z.boolean().default(false),
  /** `bridge-vids` of a VLAN-aware bridge; PVE's default is 2-4094. */
  vids: bridgeVids.optional(),
});

export const netBond = z.strictObject({
  name: z.string().regex(BOND, 'must be a bond name bond0, bond1, …'),
  /** `bond-slaves`: the NICs bonded. */
  slaves: z.array(interfaceName).min(1, 'a bond needs at least one slave').max(8, 'at most 8 slaves'),
  mode: z.enum(BOND_MODES),
  /** `bond-xmit-hash-policy`, for 802.3ad and balance-xor. */
  xmitHashPolicy: z.enum(XMIT_HASH_POLICIES).optional(),
  /** `bond-miimon`: link monitoring interval in ms. */
  miimon: z.number().int('must be an integer').min(0).max(10_000).default(100),
  ...addressing,
});

export const netVlan = z.strictObject({
  /** `eno1.50`, `vmbr0.10`, `bond0.5`; or any name with `rawDevice` and `id`. */
  name: interfaceName,
  /** `vlan-raw-device`: only for a name that does not say it. */
  rawDevice: interfaceName.optional(),
  /** `vlan-id` (1-4094): only for a name that does not say it. */
  id: z.number().int('must be an integer').min(1, 'must be 1-4094').max(4094, 'must be 1-4094').optional(),
  ...addressing,
});

export type NetBridge = z.output<typeof netBridge>;
export type NetBond = z.output<typeof netBond>;
export type NetVlan = z.output<typeof netVlan>;

const networkShape = {
  /** Linux bridges (`vmbr*`). */
  bridges: z.array(netBridge).max(64, 'at most 64 bridges').default([]),
  /** Linux bonds (`bond*`). */
  bonds: z.array(netBond).max(16, 'at most 16 bonds').default([]),
  /** VLAN interfaces on the host (`vmbr0.10`, `eno1.20`). */
  vlans: z.array(netVlan).max(256, 'at most 256 VLAN interfaces').default([]),
};

/** The host network pvefleet declares: every bridge, bond and VLAN interface of /etc/network/interfaces. */
export const networkSpec = z.strictObject(networkShape).superRefine(checkNetwork);

/**
 * The `netconfig` task: the network, and how long the node waits for pvefleet to confirm it before it
 * puts the old files back by itself.
 */
export const netconfigSpec = z
  .strictObject({
    ...networkShape,
    /** The node's rollback timer (`systemd-run --on-active`): seconds pvefleet has to reconnect and confirm. */
    rollbackAfterSeconds: z
      .number()
      .int('must be an integer')
      .min(30, 'must be at least 30')
      .max(3600, 'must be at most 3600')
      .default(120),
  })
  .superRefine(checkNetwork);

export type NetworkSpec = z.output<typeof networkSpec>;
export type NetconfigSpec = z.output<typeof netconfigSpec>;

/** A VLAN interface's device and tag, from its name (`eno1.50`) or its `rawDevice` and `id`. */
export function vlanParts(v: Pick<NetVlan, 'name' | 'rawDevice' | 'id'>): { rawDevice: string; id: number } | undefined {
  const dot = v.name.lastIndexOf('.');
  if (dot > 0) return { rawDevice: v.name.slice(0, dot), id: Number(v.name.slice(dot + 1)) };
  return v.rawDevice && v.id !== undefined ? { rawDevice: v.rawDevice, id: v.id } : undefined;
}

/** What one interface's fields cannot say alone: names, gateways, ports and tags across the network. */
function checkNetwork(n: z.output<z.ZodObject<typeof networkShape>>, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => {
    ctx.addIssue({ code: 'custom', path, message });
  };
  const seen = new Map<string, string>();
  const entries = [
    ...n.bridges.map((b, i) => ({ path: ['bridges', i], i: b })),
    ...n.bonds.map((b, i) => ({ path: ['bonds', i], i: b })),
    ...n.vlans.map((v, i) => ({ path: ['vlans', i], i: v })),
  ];
  let gateway: string | undefined;
  for (const { path, i } of entries) {
    const where = path.join('.');
    if (seen.has(i.name)) issue([...path, 'name'], `${i.name} is declared twice (also ${seen.get(i.name) ?? ''})`);
    seen.set(i.name, where);
    if (i.gateway && !i.address) issue([...path, 'gateway'], 'a gateway needs an address on the same interface');
    if (i.gateway && gateway) issue([...path, 'gateway'], `only one interface has the default gateway (already ${gateway})`);
    if (i.gateway) gateway = where;
  }
  const member = new Map<string, string>();
  const claim = (port: string, path: (string | number)[], owner: string) => {
    if (port === owner) issue(path, `${owner} cannot be its own port`);
    else if (member.has(port)) issue(path, `${port} is already a port of ${member.get(port) ?? ''}`);
    member.set(port, owner);
  };
  n.bridges.forEach((b, bi) => {
    if (b.vids && !b.vlanAware) issue(['bridges', bi, 'vids'], 'vids need vlanAware: true');
    b.ports.forEach((p, pi) => {
      if (/^vmbr\d+$/.test(p)) issue(['bridges', bi, 'ports', pi], 'a bridge cannot be a port of another bridge');
      claim(p, ['bridges', bi, 'ports', pi], b.name);
    });
  });
  n.bonds.forEach((b, bi) => {
    if (b.xmitHashPolicy && !HASHED_MODES.includes(b.mode))
      issue(['bonds', bi, 'xmitHashPolicy'], `applies to 802.3ad and balance-xor only, not ${b.mode}`);
    b.slaves.forEach((s, si) => {
      if (/^(vmbr|bond)\d+$/.test(s) || s.includes('.')) issue(['bonds', bi, 'slaves', si], 'bond slaves are NICs');
      claim(s, ['bonds', bi, 'slaves', si], b.name);
    });
  });
  n.vlans.forEach((v, vi) => {
    const dot = v.name.lastIndexOf('.');
    if (dot > 0) {
      if (v.rawDevice !== undefined && v.rawDevice !== v.name.slice(0, dot))
        issue(['vlans', vi, 'rawDevice'], `the name ${v.name} already says its device is ${v.name.slice(0, dot)}`);
      if (v.id !== undefined && v.id !== Number(v.name.slice(dot + 1)))
        issue(['vlans', vi, 'id'], `the name ${v.name} already says its tag is ${v.name.slice(dot + 1)}`);
      if (Number(v.name.slice(dot + 1)) > 4094) issue(['vlans', vi, 'name'], 'the VLAN tag must be 1-4094');
    } else if (!v.rawDevice || v.id === undefined) {
      issue(['vlans', vi, 'name'], 'name the VLAN DEVICE.TAG (e.g. eno1.50), or give rawDevice and id');
    } else if (/^(vmbr|bond)\d+$/.test(v.name)) issue(['vlans', vi, 'name'], 'vmbrN and bondN name bridges and bonds');
  });
}
