/**
 * The one question a held task asks before it may start: may it go now? Scheduled tasks are created
 * held (`task.held`, `task.start_after`) and the worker's task release loop asks the gate for each
 * one whose start time has come. The default gate releases everything; maintenance windows provide
 * their own (a node outside its window gets the time of its next window).
 */
export const TASK_RELEASE_GATE = Symbol('TASK_RELEASE_GATE');

/** A held task whose `start_after` has passed, as the gate sees it. */
export interface HeldTask {
  /** The task row's id (bigint as text). */
  id: string;
  nodeId: number | null;
  node: string;
  type: string;
  mutating: boolean;
  startAfter: Date;
  scheduleRunId: number | null;
}

/** For each held task now due: release it now, or the time to look at it again (e.g. its node's next window). */
export interface TaskReleaseGate {
  decide(due: readonly HeldTask[], now: Date): Promise<Map<string, 'release' | Date>>;
}
