import type { Outputs, Plan, PlanStep } from '../../job-kind';
import type { NodeFacts } from '../../node-facts';
import { shellQuote } from '../../shell-quote';
import { SpecError } from '../../spec-error';
import { checkDevices, forcedDevices } from './device-check';
import { byDiskPath, describeLayout, requestedLayout, sameLayout, type PoolLayout } from './pool-layout';
import { checkAshift, checkHealth, checkLayout, checkStorage, compressionValue } from './read-back';
import { findStorageSection, storageConflict } from './storage-cfg';
import { contentOf, storageIdOf, type ZfsCreateSpec } from './zfscreate-params';

const STORAGE_CFG = '/etc/pve/storage.cfg';
/** Later steps decide on the exit code themselves, so a failure can say what exists by then. */
const ANY_EXIT = Array.from({ length: 256 }, (_, i) => i);

/**
 * The zfscreate plan, as PVE's `zfscreate` task runs it: checks every device against the node's
 * disks first, then either creates the pool (`zpool create`, `zfs set compression`, optionally
 * `pvesm add zfspool`) or, when a pool of that name and layout exists, only verifies it and adds
 * what is missing. Every road ends in reading the pool back.
 *
 * PVE also runs `systemctl enable zfs-import@NAME.service`; the simulator pvefleet is tested
 * against has no such unit, and zfs-import-cache imports the pool at boot all the same.
 */
export function planZfsCreate(spec: ZfsCreateSpec, facts: NodeFacts | null): Plan {
  if (!facts) throw new SpecError([{ field: 'params.devices', message: 'the node has no facts yet: its disks cannot be checked' }]);
  const host = facts.hostname;
  const existing = facts.pools?.find((p) => p.name === spec.name);
  const errors = checkDevices(spec, facts, { requireUnused: !existing });
  if (errors.length) throw new SpecError(errors);
  const disks = facts.disks ?? [];
  const expected = byDiskPath(requestedLayout(spec), disks);
  if (existing) {
    const current = byDiskPath(existing, disks);
    if (!sameLayout(current, expected)) {
      throw new SpecError([{ field: 'params.name', message: `pool ${spec.name} already exists on ${host} with another layout: ${describeLayout(current)} (requested ${describeLayout(expected)})` }]);
    }
  }
  const sid = storageIdOf(spec);
  const known = spec.addStorage ? facts.storages?.find((s) => s.id === sid) : undefined;
  if (known && known.type !== 'zfspool') {
    throw new SpecError([{ field: spec.storageId ? 'params.storageId' : 'params.name', message: `storage ${sid} already exists on ${host} as a ${known.type} storage` }]);
  }

  const ctx: StepContext = { spec, host, expected, disks, created: !existing };
  const notes = existing
    ? [`pool ${spec.name} already exists with the requested layout (${describeLayout(expected)}): not creating it, only verifying`]
    : [
        `pool ${spec.name} does not exist on ${host}: creating it as ${describeLayout(expected)}, ashift ${spec.ashift}, compression ${spec.compression}`,
        ...forcedDevices(spec, facts).map((d) => `force: zpool create -f overwrites the signature on ${d}`),
      ];
  if (spec.addStorage) notes.push(`storage ${sid}: added to ${STORAGE_CFG} unless the cluster defines it already`);
  return { notes, steps: existing ? verifyExisting(ctx) : createPool(ctx) };
}

interface StepContext {
  spec: ZfsCreateSpec;
  host: string;
  expected: PoolLayout;
  disks: NonNullable<NodeFacts['disks']>;
  /** This task creates the pool (else it existed before). */
  created: boolean;
}

function createPool(c: StepContext): PlanStep[] {
  const { spec } = c;
  const q = (v: string) => shellQuote(v);
  const vdevs = requestedLayout(spec).vdevs.map((v) => [...(v.type === 'disk' ? [] : [spec.raidLevel === 'raid10' ? 'mirror' : spec.raidLevel]), ...v.devices.map(q)].join(' '));
  const create = ['zpool create', ...(spec.force ? ['-f'] : []), `-o ashift=${spec.ashift}`, q(spec.name), ...vdevs];
  if (spec.cache.length) create.push('cache', ...spec.cache.map(q));
  if (spec.log.length) create.push('log', ...spec.log.map(q));
  return [
    ...(spec.addStorage ? [readStorageCfg(c)] : []),
    { command: create.join(' '), description: 'create the pool', capture: 'create', timeoutMs: 5 * 60_000 },
    guarded(c, { command: `zfs set compression=${spec.compression} ${q(spec.name)}`, description: 'set compression', capture: 'setCompression' }),
    ...(spec.addStorage ? addStorage(c) : []),
    ...readBack(c),
  ];
}

function verifyExisting(c: StepContext): PlanStep[] {
  const { spec } = c;
  const name = shellQuote(spec.name);
  return [
    ashiftStep(c),
    { command: `zfs get -H -o value compression ${name}`, description: 'read the compression', capture: 'compressionBefore' },
    guarded(c, {
      command: `zfs set compression=${spec.compression} ${name}`,
      description: 'set compression',
      capture: 'setCompression',
      when: { describe: `compression is not ${spec.compression} yet`, holds: (o) => compressionValue(o.compressionBefore?.stdout ?? '') !== spec.compression },
    }),
    ...(spec.addStorage ? [readStorageCfg(c), ...addStorage(c)] : []),
    ...readBack(c).filter((s) => s.capture !== 'ashift'),
  ];
}

/** Reads the cluster's storage.cfg before anything changes: a conflicting entry stops the task here. */
function readStorageCfg(c: StepContext): PlanStep {
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
function addStorage(c: StepContext): PlanStep[] {
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
      verify: (out, o) => (registeredElsewhere(c, out.stdout) ? undefined : `command '${command}' failed: exit code ${o.addStorage?.exitCode}`),
    }),
  ];
}

/** storage.cfg (re-read) defines the storage in a form this pool can use. */
function registeredElsewhere(c: StepContext, storageCfg: string | undefined): boolean {
  const section = storageCfg === undefined ? undefined : findStorageSection(storageCfg, storageIdOf(c.spec));
  return !!section && !storageConflict(section, c.spec.name, c.host);
}

function ashiftStep(c: StepContext): PlanStep {
  return { command: `zpool get -H ashift ${shellQuote(c.spec.name)}`, description: 'verify the ashift', capture: 'ashift', verify: (out) => checkAshift(out.stdout, c.spec.name, c.spec.ashift) };
}

function readBack(c: StepContext): PlanStep[] {
  const { spec } = c;
  const name = shellQuote(spec.name);
  const sid = storageIdOf(spec);
  const steps: PlanStep[] = [
    { command: `zpool list -H -o name,health ${name}`, description: 'verify the pool is ONLINE', capture: 'list', verify: (out) => checkHealth(out.stdout, spec.name) },
    { command: `zpool status -P ${name}`, description: 'verify the vdev layout', capture: 'status', verify: (out) => checkLayout(out.stdout, spec.name, c.expected, c.disks) },
    ashiftStep(c),
    {
      command: `zfs get -H -o value compression ${name}`,
      description: 'verify the compression',
      capture: 'compression',
      verify: (out) => (compressionValue(out.stdout) === spec.compression ? undefined : `pool ${spec.name} has compression ${compressionValue(out.stdout) || '(none)'}, expected ${spec.compression}`),
    },
    ...(spec.addStorage ? [{ command: 'pvesm status', description: `verify storage ${sid} is active`, capture: 'pvesmStatus', timeoutMs: 2 * 60_000, verify: (out: { stdout: string }) => checkStorage(out.stdout, sid) }] : []),
  ];
  return steps.map((s) => guarded(c, s));
}

/**
 * A step after the pool exists: its failure (exit code or failed check) names what the node has
 * now, so nothing half-done goes unreported.
 */
function guarded(c: StepContext, step: PlanStep): PlanStep {
  const check = step.verify;
  return {
    ...step,
    okExitCodes: ANY_EXIT,
    verify: (out, outputs) => {
      const problem = out.exitCode !== 0 ? `command '${step.command}' failed: exit code ${out.exitCode}` : check?.(out, outputs);
      return problem && `${problem} - ${whatExists(c, outputs)}`;
    },
  };
}

function whatExists(c: StepContext, outputs: Outputs): string {
  const { spec } = c;
  const ok = (name: string) => outputs[name]?.exitCode === 0;
  const sid = storageIdOf(spec);
  const parts = [c.created ? `pool ${spec.name} was created on ${c.host} and exists now (${describeLayout(c.expected)})` : `pool ${spec.name} existed before this task`];
  if (ok('setCompression')) parts.push(`compression set to ${spec.compression}`);
  else if (c.created || outputs.setCompression) parts.push(`compression not set to ${spec.compression}`);
  if (spec.addStorage) {
    if (ok('addStorage')) parts.push(`storage ${sid} added`);
    else if (outputs.storageCfg && findStorageSection(outputs.storageCfg.stdout, sid)) parts.push(`storage ${sid} was already defined`);
    else if (registeredElsewhere(c, outputs.storageCfgAfter?.stdout)) parts.push(`storage ${sid} was defined meanwhile by another node`);
    else parts.push(`storage ${sid} not added`);
  }
  return parts.join('; ');
}
