import { allocatedBytes, lvmThinParams, type DiskFacts, type LvmThinSpec, type NodeFacts } from '@pvefleet/jobs';
import { z } from 'zod';
import type { DesiredField, FixTask } from '../desired-field';

const MAX_POOLS = 32;

/**
 * The LVM-thin pools a node must have, each an `lvmthin` spec (so its own checks and messages):
 * one volume group per pool, on its own whole disk named by its `/dev/disk/by-id/` link.
 */
const poolsValue = z
  .array(lvmThinParams)
  .max(MAX_POOLS, `at most ${MAX_POOLS} thin pools`)
  .superRefine((pools, ctx) => {
    const once = (i: number, field: keyof LvmThinSpec, what: string, same: (o: LvmThinSpec) => boolean) => {
      if (pools.findIndex(same) < i) ctx.addIssue({ code: 'custom', path: [i, field], message: what });
    };
    pools.forEach((p, i) => {
      once(i, 'vgName', `volume group '${p.vgName}' is declared twice (each thin pool gets its own)`, (o) => o.vgName === p.vgName);
      once(i, 'disk', `${p.disk} is declared for two thin pools`, (o) => o.disk === p.disk);
      if (p.storageId !== undefined) once(i, 'storageId', `storage '${p.storageId}' is declared twice`, (o) => o.storageId === p.storageId);
    });
  });
export type LvmThinPoolsValue = z.infer<typeof poolsValue>;

export interface LvmThinPoolsObserved {
  /** Every thin pool, with the disks (`/dev/sdb`) its volume group's physical volumes are on. */
  pools: { vg: string; name: string; sizeBytes: number; disks: string[] }[];
  /** The by-id links of those disks, to their disk path (so declared disks compare). */
  byId: Record<string, string>;
  /** lvmthin storages this node has (`pvesm status`). */
  storages: string[];
}

/** The disk a physical volume is on: its path, or the disk of its partition (`/dev/sdb1`, `/dev/nvme0n1p1`). */
function diskOf(disks: readonly DiskFacts[], device: string): DiskFacts | undefined {
  const candidates = [
    device,
    device.replace(/-part\d+$/, ''),
    device.replace(/(\d)p\d+$/, '$1'),
    device.replace(/^(\/dev\/(?:[shv]|xv)d[a-z]+)\d+$/, '$1'),
  ];
  for (const c of candidates) {
    const d = disks.find((x) => x.path === c || x.byId.includes(c));
    if (d) return d;
  }
  return undefined;
}

/** What is not as declared, per pool: `missing` pools can be created, a missing storage added; the rest needs a person. */
interface PoolProblem {
  pool: LvmThinSpec;
  problem: string;
  fix: 'create' | 'storage' | 'none';
}

function poolProblems(desired: LvmThinPoolsValue, observed: LvmThinPoolsObserved): PoolProblem[] {
  return desired.flatMap((p): PoolProblem[] => {
    const where = `${p.vgName}/${p.thinPool}`;
    const have = observed.pools.find((o) => o.vg === p.vgName && o.name === p.thinPool);
    if (!have) return [{ pool: p, problem: `thin pool ${where} does not exist`, fix: 'create' }];
    const disk = observed.byId[p.disk] ?? p.disk;
    // An existing pool is never recreated or resized: another disk or a smaller size is drift to resolve by hand.
    if (!have.disks.includes(disk))
      return [{ pool: p, problem: `thin pool ${where} is on ${have.disks.join(', ')}, wants ${p.disk}`, fix: 'none' }];
    if (have.sizeBytes < allocatedBytes(p.size))
      return [{ pool: p, problem: `thin pool ${where} has ${have.sizeBytes} bytes, wants at least ${p.size}`, fix: 'none' }];
    if (p.storageId !== undefined && !observed.storages.includes(p.storageId))
      return [{ pool: p, problem: `storage ${p.storageId} for ${where} is not registered`, fix: 'storage' }];
    return [];
  });
}

export const lvmThinPoolsField: DesiredField<LvmThinPoolsValue, LvmThinPoolsObserved> = {
  key: 'lvmthinPools',
  description: 'LVM-thin pools, each on a whole disk by /dev/disk/by-id (creating one destroys what is on its disk)',
  scope: 'node',
  defaultMode: 'enforce',
  schema: poolsValue,
  observe(facts: NodeFacts) {
    // Facts without LVM (older facts, or no LVM tools) cannot tell: unknown, never compliant.
    if (!facts.lvm) return null;
    const disks = facts.disks ?? [];
    const byId: Record<string, string> = {};
    const pools = facts.lvm.thinPools.map((t) => ({
      vg: t.vg,
      name: t.name,
      sizeBytes: t.sizeBytes,
      disks: (facts.lvm?.pvs ?? [])
        .filter((pv) => pv.vg === t.vg)
        .map((pv) => {
          const d = diskOf(disks, pv.device);
          if (!d) return pv.device;
          for (const link of d.byId) byId[link] = d.path;
          return d.path;
        }),
    }));
    const storages = (facts.storages ?? []).filter((s) => s.type === 'lvmthin').map((s) => s.id);
    return { pools, byId, storages };
  },
  differs(desired, observed) {
    const problems = poolProblems(desired, observed);
    return problems.length ? problems.map((p) => p.problem).join('; ') : undefined;
  },
  fix(desired, facts) {
    const observed = lvmThinPoolsField.observe?.(facts) ?? null;
    if (!observed) return [];
    return poolProblems(desired, observed).flatMap(({ pool, fix }): FixTask[] => {
      // A missing pool partitions its disk: that disk is what a reconcile must have confirmed.
      if (fix === 'create') return [{ type: 'lvmthin', params: { ...pool }, destroys: [pool.disk] }];
      // The pool exists on its disk: the same task only verifies it and registers the storage.
      if (fix === 'storage') return [{ type: 'lvmthin', params: { ...pool } }];
      return [];
    });
  },
};
