import type { JobKindOf, Outputs } from '../../job-kind';
import type { NodeFacts } from '../../node-facts';
import { describeLayout } from './pool-layout';
import { compressionValue, poolAshift, poolHealth, shownLayout, storageRow } from './read-back';
import { planZfsCreate } from './zfscreate-plan';
import { storageIdOf, zfsCreateParams, type ZfsCreateSpec } from './zfscreate-params';

/**
 * Creates a ZFS pool as PVE's `zfscreate` task does (API2/Disks/ZFS.pm), optionally registering it
 * as a zfspool storage. The task id field is the pool name, as on PVE.
 */
export const zfsCreateJob: JobKindOf<'zfscreate', typeof zfsCreateParams> = {
  type: 'zfscreate',
  mutating: true,
  readBack: { by: 'plan', describe: 'zpool status and list are read back: the pool, its layout and health (and the storage, when added)' },
  usesFacts: true,
  description: 'Create a ZFS pool (zpool create) on unused disks, optionally as a PVE storage',
  spec: zfsCreateParams,
  objectId: (spec) => spec.name,
  plan: planZfsCreate,
  finish: (spec, outputs, { facts }) => ({ result: poolResult(spec, outputs, facts) }),
};

/** What the task records: the pool as the node shows it after the task, and what this task did. */
function poolResult(spec: ZfsCreateSpec, outputs: Outputs, facts: NodeFacts | null): Record<string, unknown> {
  const layout = shownLayout(outputs.status?.stdout ?? '', facts?.disks ?? []);
  const sid = storageIdOf(spec);
  const storage = outputs.pvesmStatus && storageRow(outputs.pvesmStatus.stdout, sid);
  return {
    pool: spec.name,
    created: outputs.create?.exitCode === 0,
    raidLevel: spec.raidLevel,
    health: poolHealth(outputs.list?.stdout ?? '', spec.name) ?? null,
    ashift: poolAshift(outputs.ashift?.stdout ?? '') ?? null,
    compression: outputs.compression ? compressionValue(outputs.compression.stdout) : null,
    compressionChanged: outputs.setCompression?.exitCode === 0 && !!outputs.compressionBefore,
    layout: layout ?? null,
    layoutText: layout ? describeLayout(layout) : null,
    storage: spec.addStorage
      ? {
          id: sid,
          added: outputs.addStorage?.exitCode === 0,
          nodeAdded: outputs.setNodes?.exitCode === 0,
          type: storage?.type ?? null,
          status: storage?.status ?? null,
        }
      : null,
  };
}
