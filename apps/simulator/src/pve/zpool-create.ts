import type { SimNode } from '../model/node';
import type { CommandContext } from '../shell/command';
import { codePoints } from '../util/text';
import { byIdName, Disk, poolDisks, VdevType, ZPool } from '../model/disks';

const USAGE = `usage:\n\tcreate [-fnd] [-o property=value] ... \n\t    [-O file-system-property=value] ... \n\t    [-m mountpoint] [-R root] [-t tempname] <pool> <vdev> ...\n`;
const KEYWORDS = new Set(['mirror', 'raidz', 'raidz1', 'raidz2', 'raidz3', 'log', 'cache', 'spare', 'special', 'dedup']);

/** OpenZFS `zpool_name_valid` on create (pve-commands §6.2, pve-outputs §12.3). */
export function poolNameError(name: string): string | undefined {
  if (/^(mirror|raidz|draid|spare)/.test(name) || name === 'log') return 'name is reserved';
  if (name.length >= 256) return 'name is too long';
  const bad = codePoints(name).find((c) => !/[A-Za-z0-9_.: -]/.test(c));
  if (bad) return `invalid character '${bad}' in pool name`;
  if (!/^[A-Za-z]/.test(name)) return 'name must begin with a letter';
  if (/^c[0-9]/.test(name)) return 'pool name is reserved';
  return undefined;
}

function findDisk(node: SimNode, dev: string): Disk | undefined {
  const short = dev.replace(/^\/dev\/disk\/by-id\//, '').replace(/^\/dev\//, '');
  return node.disks.find((d) => d.name === short || byIdName(d) === short);
}

/**
 * `zpool create [-f] [-o ashift=N] [-m mp] NAME [mirror|raidzN] DEVS… [log [mirror] DEVS…] [cache DEVS…]` with
 * ZFS's own check order: usage, devices, vdev rules, name, existing pool.
 */
export function zpoolCreate(node: SimNode, ctx: CommandContext, args: string[]): number {
  let force = false;
  let mountpoint: string | undefined;
  const props = new Map<string, string>();
  let i = 0;
  for (; i < args.length && args[i].startsWith('-'); i++) {
    const a = args[i];
    if (a === '-o' || a === '-O') {
      const [k, ...v] = (args[++i] ?? '').split('=');
      props.set(k, v.at(0) ?? '');
    } else if (a === '-m') mountpoint = args[++i];
    else if (a.includes('f')) force = true;
  }
  const name = args[i++];
  const err = (text: string, code = 1): number => (ctx.io.stderr.write(text.endsWith('\n') ? text : text + '\n'), code);
  if (!name) return err(`missing pool name argument\n${USAGE}`, 2);
  const spec = args.slice(i);
  if (!spec.length) return err(`missing vdev specification\n${USAGE}`, 2);
  const ashift = Number(props.get('ashift') ?? 12);
  if (props.has('ashift') && (!Number.isInteger(ashift) || (ashift !== 0 && (ashift < 9 || ashift > 16))))
    return err(`property 'ashift' number ${props.get('ashift')} is invalid.`);

  // Data vdevs first; `log` and `cache` switch the class the following devices go to.
  const vdevs: ZPool['vdevs'] = [];
  const logs: ZPool['vdevs'] = [];
  const cache: string[] = [];
  const paths: Record<string, string> = {};
  let cls: 'data' | 'log' | 'cache' | 'other' = 'data';
  let cur: ZPool['vdevs'][number] | undefined;
  for (const word of spec) {
    if (KEYWORDS.has(word)) {
      const type = word === 'raidz' ? 'raidz1' : word;
      if (type === 'mirror' || type.startsWith('raidz')) {
        // [approximation] ZFS refuses grouped cache devices; the exact wording is not in the notes.
        if (cls === 'cache') return err(`invalid vdev specification: cache devices must be disks or files`);
        cur = { type: type as VdevType, devices: [] };
        (cls === 'log' ? logs : vdevs).push(cur);
      } else {
        cls = type === 'log' || type === 'cache' ? type : 'other';
        cur = undefined;
      }
      continue;
    }
    const disk = findDisk(node, word);
    if (!disk) return err(`cannot open '${word}': no such device in /dev\nmust be a full path or shorthand device name`);
    paths[disk.name] = word.startsWith('/') ? word : `/dev/${word}`;
    if (cur) cur.devices.push(disk.name);
    else if (cls === 'cache') cache.push(disk.name);
    else if (cls === 'other')
      continue; // spares, special and dedup are not modelled
    else (cls === 'log' ? logs : vdevs).push({ type: 'disk', devices: [disk.name] });
  }
  if (!vdevs.length) return err(`invalid vdev specification: at least one toplevel vdev must be specified`);
  for (const v of [...vdevs, ...logs]) {
    const min = v.type === 'mirror' ? 2 : v.type === 'raidz1' ? 2 : v.type === 'raidz2' ? 3 : v.type === 'raidz3' ? 4 : 1;
    if (v.devices.length < min)
      return err(`invalid vdev specification: ${v.type === 'raidz1' ? 'raidz' : v.type} requires at least ${min} devices`);
  }
  const disks = [...vdevs, ...logs]
    .flatMap((v) => v.devices)
    .concat(cache)
    .map((d) => node.disks.find((x) => x.name === d) as Disk);
  for (const d of disks) {
    const inPool = [...node.zpools.values()].some((p) => poolDisks(p).includes(d.name));
    const heldByLvm = [d.name, ...d.partitions.map((p) => p.name)].some((dev) => node.lvm.deviceBusy(`/dev/${dev}`));
    if (inPool || d.system || heldByLvm) return err(`/dev/${d.name} is in use and contains a unknown filesystem.`);
  }
  const overridable: string[] = [];
  const fatal: string[] = [];
  for (const d of disks) {
    if (d.foreignPool?.state === 'active') fatal.push(`/dev/${d.name}1 is part of active pool '${d.foreignPool.name}'`);
    else if (d.foreignPool) overridable.push(`/dev/${d.name}1 is part of exported pool '${d.foreignPool.name}'`);
    else if (d.fstype) overridable.push(`/dev/${d.name} contains a filesystem of type '${d.fstype}'`);
    for (const p of d.partitions) if (p.fstype) overridable.push(`/dev/${p.name} contains a filesystem of type '${p.fstype}'`);
  }
  const kinds = new Set(vdevs.map((v) => v.type));
  if (kinds.size > 1)
    overridable.push(
      `mismatched replication level: both ${[...kinds].filter((k) => k !== 'disk')[0] ?? 'disk'} and ${kinds.has('disk') ? 'disk' : [...kinds][1]} vdevs are present`,
    );
  if (fatal.length) return err(`invalid vdev specification\nthe following errors must be manually repaired:\n${fatal.join('\n')}`);
  if (overridable.length && !force)
    return err(`invalid vdev specification\nuse '-f' to override the following errors:\n${overridable.join('\n')}`);
  const nameErr = poolNameError(name);
  if (nameErr) return err(`cannot create '${name}': ${nameErr}`);
  if (node.zpools.has(name)) return err(`cannot create '${name}': pool already exists`);
  const mp = mountpoint ?? `/${name}`;
  if (mp !== 'none' && mp !== 'legacy' && node.fs.isDir(mp) && node.fs.list(mp).length)
    return err(`mountpoint '${mp}' exists and is not empty\nuse '-m' option to provide a different default`);

  for (const d of disks) {
    for (const dev of [d.name, ...d.partitions.map((p) => p.name)]) node.lvm.pvs.delete(`/dev/${dev}`);
    d.fstype = null;
    d.foreignPool = undefined;
    d.partitions = [
      {
        name: partName(d, 1),
        size: d.size - 9_437_184 - 1_048_576,
        fstype: 'zfs_member',
        mountpoint: null,
        parttype: '6a898cc3-1dd2-11b2-99a6-080020736631',
      },
      { name: partName(d, 9), size: 8_388_608, fstype: null, mountpoint: null, parttype: '6a945a3b-1dd2-11b2-99a6-080020736631' },
    ];
  }
  const raw = (v: ZPool['vdevs'][number]): number => {
    const sizes = v.devices.map((n) => (node.disks.find((x) => x.name === n) as Disk).size);
    return v.type === 'mirror' ? Math.min(...sizes) : sizes.reduce((a, b) => a + b, 0);
  };
  const size = Math.floor(vdevs.reduce((s, v) => s + raw(v), 0) * 0.995);
  const properties = new Map<string, string>([
    ['compression', 'off'],
    ['mountpoint', mp],
  ]);
  node.zpools.set(name, {
    name,
    vdevs,
    logs,
    cache,
    paths,
    ashift: ashift || 12,
    properties,
    sizeBytes: size,
    health: 'ONLINE',
    createdAt: node.sim.now(),
  });
  if (mp.startsWith('/')) node.fs.mkdir(mp, true);
  return 0;
}

const partName = (d: Disk, n: number): string => (d.kind === 'nvme' ? `${d.name}p${n}` : `${d.name}${n}`);
