import type { Outputs, PlanStep } from '../../job-kind';
import type { DiskFacts } from '../../node-facts';
import { describeLayout, type PoolLayout } from './pool-layout';
import { findStorageSection, storageConflict } from './storage-cfg';
import { storageIdOf, type ZfsCreateSpec } from './zfscreate-params';

/** What every step of one plan knows. */
export interface StepContext {
  spec: ZfsCreateSpec;
  host: string;
  /** The node's name in the cluster (its short hostname, PVE's `pve-node` format): what `--nodes` lists. */
  node: string;
  /** The requested layout, devices named by disk path. */
  expected: PoolLayout;
  disks: readonly DiskFacts[];
  /** This task creates the pool (else it existed before). */
  created: boolean;
}

export const STORAGE_CFG = '/etc/pve/storage.cfg';

/** Steps that decide on the exit code themselves, so a failure can say what exists by then. */
export const ANY_EXIT = Array.from({ length: 256 }, (_, i) => i);

/**
 * A step after the pool exists: its failure (exit code or failed check) names what the node has
 * now, so nothing half-done goes unreported.
 */
export function guarded(c: StepContext, step: PlanStep): PlanStep {
  return {
    ...step,
    okExitCodes: ANY_EXIT,
    verify: (out, outputs) => {
      const problem = out.exitCode !== 0 ? `command '${step.command}' failed: exit code ${out.exitCode}` : step.verify?.(out, outputs);
      return problem && `${problem} - ${whatExists(c, outputs)}`;
    },
  };
}

/** storage.cfg defines the storage in a form this pool can use (e.g. registered by another node). */
export function usableStorage(c: StepContext, storageCfg: string | undefined): boolean {
  const section = storageCfg === undefined ? undefined : findStorageSection(storageCfg, storageIdOf(c.spec));
  return !!section && !storageConflict(section, c.spec.name);
}

function whatExists(c: StepContext, outputs: Outputs): string {
  const { spec } = c;
  const ok = (name: string) => outputs[name]?.exitCode === 0;
  const sid = storageIdOf(spec);
  const parts = [
    c.created
      ? `pool ${spec.name} was created on ${c.host} and exists now (${describeLayout(c.expected)})`
      : `pool ${spec.name} existed before this task`,
  ];
  if (ok('setCompression')) parts.push(`compression set to ${spec.compression}`);
  else if (c.created || outputs.setCompression) parts.push(`compression not set to ${spec.compression}`);
  if (spec.addStorage) {
    if (ok('addStorage')) parts.push(`storage ${sid} added for ${c.node}`);
    else if (ok('setNodes')) parts.push(`${c.node} added to the nodes of storage ${sid}`);
    else if (outputs.storageCfg && findStorageSection(outputs.storageCfg.stdout, sid)) parts.push(`storage ${sid} was already defined`);
    else if (usableStorage(c, outputs.storageCfgAfter?.stdout)) parts.push(`storage ${sid} was defined meanwhile by another node`);
    else parts.push(`storage ${sid} not added`);
  }
  return parts.join('; ');
}
