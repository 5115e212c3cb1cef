import { z } from 'zod';
import { devicePath, storageId } from '../../formats';
import { zfsPoolNameProblem } from './pool-name';

export const RAID_LEVELS = ['single', 'mirror', 'raid10', 'raidz', 'raidz2', 'raidz3'] as const;
export type RaidLevel = (typeof RAID_LEVELS)[number];

/** What PVE's API accepts for `compression` (pve-storage API2/Disks/ZFS.pm). */
export const COMPRESSIONS = ['on', 'off', 'gzip', 'lz4', 'lzjb', 'zle', 'zstd'] as const;

/** The content types a zfspool storage may hold. */
export const ZFSPOOL_CONTENT = ['images', 'rootdir'] as const;

/** PVE's minimum disk counts per level (pve-storage API2/Disks/ZFS.pm); zpool itself needs fewer. */
export const MIN_DISKS: Record<RaidLevel, number> = { single: 1, mirror: 2, raid10: 4, raidz: 3, raidz2: 4, raidz3: 5 };

const MAX_DEVICES = 64;

const deviceList = z.array(devicePath).max(MAX_DEVICES, `at most ${MAX_DEVICES} devices`);

/** PVE's storage-id format first; ZFS's reserved names only for a name that passes it (one message per name). */
const poolName = storageId.pipe(
  z.string().superRefine((name, ctx) => {
    const problem = zfsPoolNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
);

const DEVICE_LISTS = ['devices', 'cache', 'log'] as const;

export const zfsCreateParams = z
  .strictObject({
    /** The pool; also the storage id unless `storageId` says otherwise. */
    name: poolName,
    raidLevel: z.enum(RAID_LEVELS),
    /** Data devices, in order (raid10 pairs them: 1+2, 3+4, …). */
    devices: deviceList.min(1, 'at least one device'),
    ashift: z.number().int('must be an integer').min(9, 'must be 9-16').max(16, 'must be 9-16').default(12),
    compression: z.enum(COMPRESSIONS).default('on'),
    /** L2ARC devices (`cache` vdev). */
    cache: deviceList.default([]),
    /** Separate intent log devices (`log` vdev, striped). */
    log: deviceList.default([]),
    /** `zpool create -f`: lets zpool overwrite an old filesystem signature on a device PVE sees as used by nothing else. */
    force: z.boolean().default(false),
    /** Uses the devices even when their `smartctl -H -A` does not pass (the seed's Disk Health Monitoring). */
    ignoreSmart: z.boolean().default(false),
    /** Registers the pool as a PVE storage (`pvesm add zfspool`). */
    addStorage: z.boolean().default(false),
    storageId: storageId.optional(),
    content: z.array(z.enum(ZFSPOOL_CONTENT, 'zfspool storage holds only images and rootdir')).min(1).max(2).optional(),
  })
  .superRefine((spec, ctx) => {
    const issue = (path: (string | number)[], message: string) => {
      ctx.addIssue({ code: 'custom', path, message });
    };
    // PVE's checks, in its order and words.
    const n = spec.devices.length;
    if (spec.raidLevel === 'raid10' && n % 2 !== 0) issue(['devices'], 'raid10 needs an even number of disks');
    if (spec.raidLevel === 'single' && n > 1) issue(['devices'], 'please give only one disk for single disk mode');
    if (n < MIN_DISKS[spec.raidLevel]) issue(['devices'], `${spec.raidLevel} needs at least ${MIN_DISKS[spec.raidLevel]} disks`);

    // A device may appear once across data, cache and log.
    const seen = new Map<string, string>();
    for (const list of DEVICE_LISTS) {
      spec[list].forEach((dev, i) => {
        const first = seen.get(dev);
        if (first) issue([list, i], `${dev} is already listed as ${first}`);
        else seen.set(dev, `params.${list}.${i}`);
      });
    }

    if (!spec.addStorage) {
      if (spec.storageId !== undefined) issue(['storageId'], 'only with addStorage: true');
      if (spec.content !== undefined) issue(['content'], 'only with addStorage: true');
    }
    if (spec.content && new Set(spec.content).size !== spec.content.length) issue(['content'], 'lists a content type twice');
  });

export type ZfsCreateSpec = z.infer<typeof zfsCreateParams>;

/** The PVE storage id the pool is registered under (default: the pool name). */
export const storageIdOf = (spec: ZfsCreateSpec): string => spec.storageId ?? spec.name;

export const contentOf = (spec: ZfsCreateSpec): string => (spec.content ?? ZFSPOOL_CONTENT).join(',');
