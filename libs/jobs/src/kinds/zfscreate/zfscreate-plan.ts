import { PVE_NODE } from '../../formats';
import type { Plan, PlanStep } from '../../job-kind';
import type { NodeFacts } from '../../node-facts';
import { shellQuote } from '../../shell-quote';
import { SpecError } from '../../spec-error';
import { checkSmart, smartGate, smartNote } from '../disk-health/smart-gate';
import { checkDevices, diskUses, forcedDevices } from './device-check';
import { STORAGE_CFG, guarded, type StepContext } from './plan-guard';
import { byDiskPath, describeLayout, requestedLayout, sameLayout } from './pool-layout';
import { checkAshift, checkHealth, checkLayout, checkStorage, compressionValue } from './read-back';
import { addStorage, readStorageCfg } from './storage-steps';
import { storageIdOf, type ZfsCreateSpec } from './zfscreate-params';

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
  // Creating the pool uses every device: each passes its health check first (an existing pool uses none).
  const uses = existing ? [] : diskUses(spec, facts);
  const smart = spec.ignoreSmart ? { errors: [], unknown: [] } : checkSmart(uses);
  errors.push(...smart.errors);
  if (errors.length) throw new SpecError(errors);
  const disks = facts.disks ?? [];
  const expected = byDiskPath(requestedLayout(spec), disks);
  if (existing) {
    const current = byDiskPath(existing, disks);
    if (!sameLayout(current, expected)) {
      throw new SpecError([
        {
          field: 'params.name',
          message: `pool ${spec.name} already exists on ${host} with another layout: ${describeLayout(current)} (requested ${describeLayout(expected)})`,
        },
      ]);
    }
  }
  const sid = storageIdOf(spec);
  const known = spec.addStorage ? facts.storages?.find((s) => s.id === sid) : undefined;
  if (known && known.type !== 'zfspool') {
    throw new SpecError([
      {
        field: spec.storageId ? 'params.storageId' : 'params.name',
        message: `storage ${sid} already exists on ${host} as a ${known.type} storage`,
      },
    ]);
  }

  const node = host.split('.')[0];
  if (spec.addStorage && !PVE_NODE.test(node)) {
    throw new SpecError([
      { field: 'params.addStorage', message: `the node's hostname '${host}' is no PVE node name, so the storage cannot be limited to it` },
    ]);
  }

  const ctx: StepContext = { spec, host, node, expected, disks, created: !existing };
  const gates = smart.unknown.map(smartGate);
  const forced = forcedDevices(spec, facts);
  const notes = existing
    ? [`pool ${spec.name} already exists with the requested layout (${describeLayout(expected)}): not creating it, only verifying`]
    : [
        `pool ${spec.name} does not exist on ${host}: creating it as ${describeLayout(expected)}, ashift ${spec.ashift}, compression ${spec.compression}`,
        `devices checked against the disks ${host} reported at ${new Date(facts.collectedAt).toISOString()}: all exist and are unused${forced.length ? ' or forced' : ''}`,
        ...forced.map((d) => `force: zpool create -f overwrites the signature on ${d}`),
        ...(uses.length ? [smartNote(uses, spec.ignoreSmart)] : []),
      ];
  if (spec.addStorage)
    notes.push(`storage ${sid}: added to ${STORAGE_CFG} for node ${node}, or ${node} added to its nodes if the cluster defines it already`);
  return { notes, steps: existing ? verifyExisting(ctx) : [...gates, ...createPool(ctx)] };
}

function createPool(c: StepContext): PlanStep[] {
  const { spec } = c;
  const q = (v: string) => shellQuote(v);
  const vdevs = requestedLayout(spec).vdevs.map((v) =>
    [...(v.type === 'disk' ? [] : [spec.raidLevel === 'raid10' ? 'mirror' : spec.raidLevel]), ...v.devices.map(q)].join(' '),
  );
  const create = ['zpool create', ...(spec.force ? ['-f'] : []), `-o ashift=${spec.ashift}`, q(spec.name), ...vdevs];
  if (spec.cache.length) create.push('cache', ...spec.cache.map(q));
  if (spec.log.length) create.push('log', ...spec.log.map(q));
  return [
    ...(spec.addStorage ? [readStorageCfg(c)] : []),
    { command: create.join(' '), description: 'create the pool', capture: 'create', timeoutMs: 5 * 60_000 },
    guarded(c, {
      command: `zfs set compression=${spec.compression} ${q(spec.name)}`,
      description: 'set compression',
      capture: 'setCompression',
    }),
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
      when: {
        describe: `compression is not ${spec.compression} yet`,
        holds: (o) => compressionValue(o.compressionBefore?.stdout ?? '') !== spec.compression,
      },
    }),
    ...(spec.addStorage ? [readStorageCfg(c), ...addStorage(c)] : []),
    ...readBack(c).filter((s) => s.capture !== 'ashift'),
  ];
}

function ashiftStep(c: StepContext): PlanStep {
  return {
    command: `zpool get -H ashift ${shellQuote(c.spec.name)}`,
    description: 'verify the ashift',
    capture: 'ashift',
    verify: (out) => checkAshift(out.stdout, c.spec.name, c.spec.ashift),
  };
}

function readBack(c: StepContext): PlanStep[] {
  const { spec } = c;
  const name = shellQuote(spec.name);
  const sid = storageIdOf(spec);
  const steps: PlanStep[] = [
    {
      command: `zpool list -H -o name,health ${name}`,
      description: 'verify the pool is ONLINE',
      capture: 'list',
      verify: (out) => checkHealth(out.stdout, spec.name),
    },
    {
      command: `zpool status -P ${name}`,
      description: 'verify the vdev layout',
      capture: 'status',
      verify: (out) => checkLayout(out.stdout, spec.name, c.expected, c.disks),
    },
    ashiftStep(c),
    {
      command: `zfs get -H -o value compression ${name}`,
      description: 'verify the compression',
      capture: 'compression',
      verify: (out) =>
        compressionValue(out.stdout) === spec.compression
          ? undefined
          : `pool ${spec.name} has compression ${compressionValue(out.stdout) || '(none)'}, expected ${spec.compression}`,
    },
    ...(spec.addStorage
      ? [
          {
            command: 'pvesm status',
            description: `verify storage ${sid} is active`,
            capture: 'pvesmStatus',
            timeoutMs: 2 * 60_000,
            verify: (out: { stdout: string }) => checkStorage(out.stdout, sid),
          },
        ]
      : []),
  ];
  return steps.map((s) => guarded(c, s));
}
