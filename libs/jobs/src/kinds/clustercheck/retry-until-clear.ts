import type { CapturedOutput, PlanStep } from '../../job-kind';

/** How often waits re-read the node: cheap read-only commands, so once a second is fine. */
export const RECHECK_INTERVAL_MS = 1_000;

/**
 * A `retry` that repeats a read until `problemsOf` finds nothing wrong. When the time runs out the
 * runner fails the step with `describe`, so that names what was still wrong at the last read
 * (`all guests moved off pve2 (last check: VM 101 is still running)`), not only the goal.
 * Dry runs read `describe` before any attempt and see the goal alone.
 */
export function retryUntilClear(
  goal: string,
  problemsOf: (out: CapturedOutput) => string[],
  waitSeconds: number,
): NonNullable<PlanStep['retry']> {
  let last: string[] = [];
  return {
    until(out) {
      last = problemsOf(out);
      return last.length === 0;
    },
    intervalMs: RECHECK_INTERVAL_MS,
    timeoutMs: waitSeconds * 1000,
    get describe() {
      return last.length ? `${goal} (last check: ${last.join('; ')})` : goal;
    },
  };
}

/** A `verify` from the same judgement: the problems, joined, or undefined when there are none. */
export function verifyClear(problemsOf: (out: CapturedOutput) => string[]): NonNullable<PlanStep['verify']> {
  return (out) => {
    const problems = problemsOf(out);
    return problems.length ? problems.join('; ') : undefined;
  };
}

/** `waitSeconds` as every waiting kind takes it: whole seconds, at most a day. */
export const MAX_WAIT_SECONDS = 86_400;
