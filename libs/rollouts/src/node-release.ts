import { taskFor, type StepName, type StepTask } from './node-steps';

/** The steps that put a stopped node back in service: a health check (release only), then noout unset, then maintenance left. */
export type ReleaseStep = 'health' | 'noout-unset' | 'leave';

/** `rollout_node.release`: POST …/nodes/{node}/release, driven by the orchestrator like any step. */
export interface ReleaseRecord {
  by: string;
  at: string;
  state: 'running' | 'released' | 'failed';
  step?: ReleaseStep;
  upid?: string;
  tasks: { step: ReleaseStep; upid: string; exitstatus?: string | null }[];
  detail?: string;
}

/** A node of a rollout as far as what it holds is concerned. */
export interface HoldingNode {
  node: string;
  cluster: string | null;
  /** The step it is at (its task may still run). */
  step: string | null;
  tasks: { step: string; exitstatus?: string | null }[];
  release: ReleaseRecord | null;
}

/** A task's exit status says it succeeded: `OK` or `WARNINGS: n`, as Proxmox writes them. */
export const succeeded = (exitstatus: string | null | undefined) => exitstatus === 'OK' || !!exitstatus?.startsWith('WARNINGS: ');

/**
 * What this rollout left on a node: HA maintenance once its maintenance step began (a failed enable
 * may still have taken effect), Ceph noout once its noout step began; each until the undoing step
 * succeeded, in the rollout or in a release.
 */
export function holdOf(n: HoldingNode): { maintenance: boolean; noout: boolean } {
  const all = [...n.tasks, ...(n.release?.tasks ?? [])];
  const began = (s: string) => all.some((t) => t.step === s);
  const undone = (s: string) => all.some((t) => t.step === s && succeeded(t.exitstatus));
  return { maintenance: began('maintenance') && !undone('leave'), noout: began('noout') && !undone('noout-unset') };
}

/**
 * Whether a node still relies on the cluster's noout: it holds it and is not on its way out of
 * maintenance (a node leaving, or gone, needs it no more; its OSDs are meant to be up again).
 */
export function needsNoout(n: HoldingNode): boolean {
  const leaving =
    n.step === 'leave' || n.release?.step === 'leave' || [...n.tasks, ...(n.release?.tasks ?? [])].some((t) => t.step === 'leave');
  return holdOf(n).noout && !leaving;
}

/**
 * The default of an abort: a node leaves maintenance when nothing on it changed yet (neither its
 * repositories nor its packages; its guests may come back), and stays when it may be half-upgraded.
 */
export function leavesOnAbort(done: StepName[], asked: boolean | null): boolean {
  return asked ?? !done.some((s) => s === 'repos' || s === 'upgrade');
}

/**
 * The next step that undoes what the rollout left on `n`: noout first (unless another node of its
 * cluster in this rollout still needs it), then maintenance; undefined when nothing is left.
 */
export function undoStep(n: HoldingNode, rolloutNodes: HoldingNode[], waitSeconds: number): (StepTask & { step: ReleaseStep }) | undefined {
  const hold = holdOf(n);
  const neededElsewhere = rolloutNodes.some((o) => o.node !== n.node && o.cluster !== null && o.cluster === n.cluster && needsNoout(o));
  if (hold.noout && !neededElsewhere)
    return { ...taskFor('noout-unset', 'cephflag', { flag: 'noout', set: false }, 'unsetting ceph noout'), step: 'noout-unset' };
  if (hold.maintenance) {
    return { ...taskFor('leave', 'hamaintenance', { node: n.node, enable: false, waitSeconds }, 'leaving HA maintenance'), step: 'leave' };
  }
  return undefined;
}

/** What a finished release did, for the node view: `out of HA maintenance; ceph noout unset`. */
export function describeRelease(tasks: ReleaseRecord['tasks'], nooutKept: boolean): string {
  const did = (s: ReleaseStep) => tasks.some((t) => t.step === s && succeeded(t.exitstatus));
  const parts = ['healthy'];
  if (did('leave')) parts.push('out of HA maintenance');
  if (did('noout-unset')) parts.push('ceph noout unset');
  else if (nooutKept) parts.push('ceph noout kept: another node of its cluster still needs it');
  return `released: ${parts.join('; ')}`;
}
