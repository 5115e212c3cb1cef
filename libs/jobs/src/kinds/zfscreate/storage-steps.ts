import type { Outputs, PlanStep } from '../../job-kind';
import { shellQuote } from '../../shell-quote';
import { ANY_EXIT, STORAGE_CFG, guarded, usableStorage, type StepContext } from './plan-guard';
import { enabledOn, findStorageSection, storageConflict, storageNodes } from './storage-cfg';
import { contentOf, storageIdOf } from './zfscreate-params';

/** How long adding this node to a storage's `nodes` may take while other nodes change them too. */
const NODES_RETRY = { intervalMs: 1_000, timeoutMs: 30_000 };

/**
 * Reads the cluster's storage.cfg before anything changes: an entry of that id that cannot serve
 * this pool (another type, another pool) stops the task here.
 */
export function readStorageCfg(c: StepContext): PlanStep {
  const sid = storageIdOf(c.spec);
  return {
    command: `cat ${STORAGE_CFG}`,
    description: 'read the storage configuration',
    capture: 'storageCfg',
    quiet: true,
    verify: (out) => {
      const section = findStorageSection(out.stdout, sid);
      const conflict = section && storageConflict(section, c.spec.name);
      return conflict && `${conflict}; ${c.created ? 'nothing was created' : `pool ${c.spec.name} is left as it was`}`;
    },
  };
}

/**
 * Registers the storage for this node only, as PVE's disk wizard does (`--nodes`): local storage
 * listed for every node would show up inactive on all the others. When storage.cfg defines it
 * already (the same pool name on another node), this node is added to its `nodes` instead. If
 * `pvesm add` fails, storage.cfg is read again: another node of the cluster may have registered the
 * same storage meanwhile (a fleet task), and then this node is added to it.
 */
export function addStorage(c: StepContext): PlanStep[] {
  const sid = storageIdOf(c.spec);
  const command = `pvesm add zfspool ${shellQuote(sid)} --pool ${shellQuote(c.spec.name)} --content ${contentOf(c.spec)} --nodes ${shellQuote(c.node)}`;
  return [
    {
      command,
      description: 'register the storage for this node',
      capture: 'addStorage',
      okExitCodes: ANY_EXIT,
      when: {
        describe: `${STORAGE_CFG} does not define storage ${sid} yet`,
        holds: (o) => !findStorageSection(o.storageCfg?.stdout ?? '', sid),
      },
    },
    guarded(c, {
      command: `cat ${STORAGE_CFG}`,
      description: 'read the storage configuration again',
      capture: 'storageCfgAfter',
      quiet: true,
      when: {
        describe: 'pvesm add failed (another node may have registered the storage meanwhile)',
        holds: (o) => !!o.addStorage && o.addStorage.exitCode !== 0,
      },
      verify: (out, o) => (usableStorage(c, out.stdout) ? undefined : `command '${command}' failed: exit code ${o.addStorage?.exitCode}`),
    }),
    addNodeStep(c),
  ];
}

/**
 * `pvesm set ID --nodes <its nodes>,<this node>` when the storage lists nodes without this one.
 * `--nodes` replaces the list, so two nodes adding themselves at once could drop each other: the
 * command prints storage.cfg afterwards, and until it lists this node the step merges again from
 * what it printed (a read-merge-write that converges).
 */
function addNodeStep(c: StepContext): PlanStep {
  const sid = storageIdOf(c.spec);
  const latestCfg = (o: Outputs) => (o.setNodes ?? o.storageCfgAfter ?? o.storageCfg)?.stdout ?? '';
  const missingHere = (cfg: string) => {
    const section = findStorageSection(cfg, sid);
    return section && !enabledOn(section, c.node) ? section : undefined;
  };
  return guarded(c, {
    command: `pvesm set ${shellQuote(sid)} --nodes <its nodes>,${c.node}; cat ${STORAGE_CFG}`,
    description: `add ${c.node} to the nodes of storage ${sid} (only if it lists others)`,
    capture: 'setNodes',
    quiet: true,
    commandFrom: (o) => {
      // This task's own pvesm add listed this node already.
      if (!o.setNodes && o.addStorage?.exitCode === 0) return null;
      const section = missingHere(latestCfg(o));
      if (!section) return null;
      const nodes = [...(storageNodes(section) ?? []), c.node];
      return `pvesm set ${shellQuote(sid)} --nodes ${shellQuote(nodes.join(','))}; cat ${STORAGE_CFG}`;
    },
    retry: { ...NODES_RETRY, describe: `storage ${sid} lists ${c.node}`, until: (out) => !missingHere(out.stdout) },
  });
}
