import { currentChannels, type NodeFacts, type TaskParams, type TaskType } from '@pvefleet/jobs';
import type { RolloutRequest } from './rollout.schemas';
import { plural } from './plural';

/** A node's way through a rollout, in order. Each step is a task of its own. */
export const STEPS = [
  'refresh',
  'inspect',
  'maintenance',
  'evacuate',
  'noout',
  'repos',
  'upgrade',
  'health',
  'noout-unset',
  'leave',
  'return',
  'verify',
] as const;
export type StepName = (typeof STEPS)[number];

/** A step's task: its kind by task type, with params of that kind (checked where each step is made). */
export interface StepTask<T extends TaskType = TaskType> {
  step: StepName;
  type: T;
  params: TaskParams<T>;
  /** What the node is doing, for progress lines: `[3/20] pve3: evacuating`. */
  doing: string;
}

export type NextStep = { task: StepTask } | { done: string } | { skip: string } | { fail: string };

export interface NodeContext {
  node: string;
  /** Member of a cluster (not standalone). */
  clustered: boolean;
  /** The cluster runs Ceph (from its pre-flight). */
  ceph: boolean;
  spec: RolloutRequest;
  /** Facts as read by the inspect step (null before it ran). */
  facts: NodeFacts | null;
  /** Where its guests may go: same cluster, not in maintenance, not rebooting, not older. */
  migrationTargets(): string[];
  /** The guests its evacuation moved away (from the evacuate tasks' results), to bring back. */
  evacuated(): { vmid: number; type: 'qemu' | 'lxc' }[];
}

/**
 * The rollout's aptupgrade params. The request schema keeps them a record; RolloutsService.create
 * parsed them with aptupgrade's own spec before the rollout was stored, so they are that kind's params.
 */
export const upgradeParams = (spec: RolloutRequest): TaskParams<'aptupgrade'> => spec.job.params;

export const rebootPolicy = (spec: RolloutRequest): string => upgradeParams(spec).reboot ?? 'if-required';

/**
 * The step after `previous` for this node, or how the node ends. Pure: the orchestrator persists
 * the answer with the step's task, so a restart resumes exactly here.
 */
export function nextStep(previous: StepName | null, ctx: NodeContext): NextStep {
  if (previous === 'inspect') {
    const skip = skipReason(ctx);
    if (skip) return { skip };
  }
  const from = previous === null ? 0 : STEPS.indexOf(previous) + 1;
  for (const step of STEPS.slice(from)) {
    const next = stepTask(step, ctx);
    if (next) return next;
  }
  return { done: ctx.facts ? `pve-manager ${ctx.facts.pveManagerVersion ?? '?'}, kernel ${ctx.facts.kernel}` : 'upgraded' };
}

/** A node with nothing to do is never put in maintenance, let alone rebooted. */
function skipReason(ctx: NodeContext): string | undefined {
  const f = ctx.facts;
  if (!f) return undefined;
  if (ctx.spec.majorUpgrade) return (f.pveMajor ?? 0) >= 9 ? `already on Proxmox VE ${f.pveManagerVersion}` : undefined;
  const pending = f.upgradable?.length ?? 0;
  const kernelPending = f.kernels?.rebootRequired ?? false;
  if (pending === 0 && !kernelPending && rebootPolicy(ctx.spec) !== 'always') {
    return `up to date: nothing to upgrade and running the newest kernel (${f.kernel})`;
  }
  return undefined;
}

function stepTask(step: StepName, ctx: NodeContext): NextStep | undefined {
  const { spec } = ctx;
  const mayReboot = rebootPolicy(spec) !== 'never';
  const ha = ctx.clustered && ctx.facts?.ha != null;
  const t = <T extends TaskType>(type: T, params: TaskParams<T>, doing: string): NextStep => ({ task: taskFor(step, type, params, doing) });
  switch (step) {
    case 'refresh':
      return t('aptupdate', {}, 'refreshing package lists');
    case 'inspect':
      return t('facts', {}, 'inspecting');
    case 'maintenance':
      return ha
        ? t('hamaintenance', { node: ctx.node, enable: true, waitSeconds: spec.timeouts.maintenance }, 'entering HA maintenance')
        : undefined;
    case 'evacuate': {
      if (!ctx.clustered || !mayReboot) return undefined;
      const targets = ctx.migrationTargets();
      if (!targets.length)
        return { fail: 'no node to move guests to: every other node is in maintenance, rebooting, failed or on an older version' };
      return t('evacuate', { targets, waitSeconds: spec.timeouts.migrate }, `evacuating to ${targets.join(', ')}`);
    }
    case 'noout':
      return ctx.ceph && mayReboot ? t('cephflag', { flag: 'noout', set: true }, 'setting ceph noout') : undefined;
    case 'repos': {
      if (!spec.majorUpgrade) return undefined;
      // Same channel, new suite: an enterprise node stays enterprise.
      const current = currentChannels(ctx.facts ?? { aptSources: [] });
      if (!current.pve) return { fail: 'cannot tell which single PVE repository channel the node uses; set it with aptrepos first' };
      return t(
        'aptrepos',
        { channel: current.pve, suite: 'trixie', ...(current.ceph ? { ceph: current.ceph } : {}) },
        'switching repositories to trixie',
      );
    }
    case 'upgrade':
      return t('aptupgrade', { reboot: 'if-required', ...upgradeParams(spec), rebootTimeoutSeconds: spec.timeouts.reboot }, 'upgrading');
    case 'health':
      return ctx.clustered
        ? t(
            'nodehealth',
            { waitSeconds: spec.timeouts.health, ...(ctx.ceph ? { ceph: true } : {}) },
            'waiting for services, quorum and ceph',
          )
        : undefined;
    case 'noout-unset':
      return ctx.ceph && mayReboot ? t('cephflag', { flag: 'noout', set: false }, 'unsetting ceph noout') : undefined;
    case 'leave':
      return ha
        ? t('hamaintenance', { node: ctx.node, enable: false, waitSeconds: spec.timeouts.maintenance }, 'leaving HA maintenance')
        : undefined;
    case 'return': {
      // Back, healthy and out of maintenance: the guests that left it come home (HA ones already did).
      const guests = ctx.evacuated().map(({ vmid, type }) => ({ vmid, type }));
      if (!ctx.clustered || !spec.returnGuests || !guests.length) return undefined;
      return t('returnguests', { guests, waitSeconds: spec.timeouts.migrate }, `bringing back ${plural(guests.length, 'guest')}`);
    }
    case 'verify':
      // Reads the node back: versions and kernel as they are now, for the report and for later targets.
      return t('facts', {}, 'verifying versions');
  }
}

/**
 * A step's task of type `T`, its params checked against that kind's spec type where this is called.
 * TypeScript cannot relate `TaskParams<T>` for a generic `T` to the union of all params, hence the cast.
 */
export function taskFor<T extends TaskType>(step: StepName, type: T, params: TaskParams<T>, doing: string): StepTask {
  const task: StepTask<T> = { step, type, params, doing };
  return task as unknown as StepTask;
}

/** Where a stopped node is left, for an admin: which of maintenance / noout are still on. */
export function describeStop(done: StepName[]): string {
  const has = (s: StepName) => done.includes(s);
  const left: string[] = [];
  if (has('maintenance') && !has('leave')) left.push('still in HA maintenance mode');
  if (has('noout') && !has('noout-unset')) left.push('ceph noout still set');
  if (has('upgrade')) left.push('upgraded');
  else if (has('evacuate')) left.push(has('return') ? 'not upgraded; its guests are back' : 'guests moved away, not upgraded');
  if (has('upgrade') && has('evacuate') && !has('return')) left.push('its guests are still on other nodes');
  return left.length ? left.join('; ') : 'untouched';
}
