import type { PlanStep } from '../../job-kind';
import { shellQuote } from '../../shell-quote';
import { ANY_EXIT, STORAGE_CFG, guarded, usableStorage, type StepContext } from './plan-guard';
import { findStorageSection, storageConflict } from './storage-cfg';
import { contentOf, storageIdOf } from './zfscreate-params';

/**
 * Reads the cluster's storage.cfg before anything changes: an entry of that id that cannot serve
 * this pool (another type, another pool, other nodes) stops the task here.
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
      const conflict = section && storageConflict(section, c.spec.name, c.host);
      return conflict && `${conflict}; ${c.created ? 'nothing was created' : `pool ${c.spec.name} is left as it was`}`;
    },
  };
}

/**
 * `pvesm add` when storage.cfg lacks the storage. If it fails, storage.cfg is read again: another
 * node of the cluster may have registered the same storage meanwhile (a fleet task), which counts.
 */
export function addStorage(c: StepContext): PlanStep[] {
  const sid = storageIdOf(c.spec);
  const command = `pvesm add zfspool ${shellQuote(sid)} --pool ${shellQuote(c.spec.name)} --content ${contentOf(c.spec)}`;
  return [
    {
      command,
      description: 'register the storage',
      capture: 'addStorage',
      okExitCodes: ANY_EXIT,
      when: { describe: `${STORAGE_CFG} does not define storage ${sid} yet`, holds: (o) => !findStorageSection(o.storageCfg?.stdout ?? '', sid) },
    },
    guarded(c, {
      command: `cat ${STORAGE_CFG}`,
      description: 'read the storage configuration again',
      capture: 'storageCfgAfter',
      quiet: true,
      when: { describe: 'pvesm add failed (another node may have registered the storage meanwhile)', holds: (o) => !!o.addStorage && o.addStorage.exitCode !== 0 },
      verify: (out, o) => (usableStorage(c, out.stdout) ? undefined : `command '${command}' failed: exit code ${o.addStorage?.exitCode}`),
    }),
  ];
}
