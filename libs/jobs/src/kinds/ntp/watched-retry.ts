import type { CapturedOutput, PlanStep } from '../../job-kind';

/**
 * A `retry` that fails naming what the node last reported. `problem` says why the node is not there
 * yet (undefined: it is). The runner reads `describe` when the wait ends, so it is a getter: the goal
 * alone in dry runs and on success, the goal plus the last problem seen when the timeout is reached.
 * The state lives in this one step object, which belongs to one task's plan.
 */
export function watchedRetry(
  goal: string,
  problem: (out: CapturedOutput) => string | undefined,
  timeoutMs: number,
  intervalMs: number,
): NonNullable<PlanStep['retry']> {
  let last: string | undefined;
  return {
    timeoutMs,
    intervalMs,
    until(out) {
      last = problem(out);
      return last === undefined;
    },
    get describe() {
      return last === undefined ? goal : `${goal} (last seen: ${last})`;
    },
  };
}
