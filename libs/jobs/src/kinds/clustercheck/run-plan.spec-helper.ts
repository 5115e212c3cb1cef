import { resolveStep, type CapturedOutput, type Outputs, type Plan } from '../../job-kind';

/** What a test hands over to run a command: the simulator's `exec`, say. */
export type Exec = (command: string) => Promise<{ stdout: string; code: number }>;

export interface PlanRun {
  outputs: Record<string, CapturedOutput>;
  /** The text a task would end with, worded as the runner words it; undefined when all went well. */
  error?: string;
  /** Commands run, in order (a retried one once per attempt). */
  ran: string[];
  skipped: string[];
}

/**
 * Runs a plan the way the task runner does (conditions, exit codes, retries, verification), minus
 * SSH, logs and reboots: for unit tests of plans against the simulator. Retries wait for real, so
 * tests keep their timeouts short.
 */
export async function runPlan(plan: Plan, exec: Exec): Promise<PlanRun> {
  const run: PlanRun = { outputs: {}, ran: [], skipped: [] };
  for (const planned of plan.steps) {
    if (planned.when && !planned.when.holds(run.outputs as Outputs)) {
      run.skipped.push(planned.command);
      continue;
    }
    const step = resolveStep(planned, run.outputs);
    if (!step) {
      run.skipped.push(planned.command);
      continue;
    }
    const deadline = Date.now() + (step.retry?.timeoutMs ?? 0);
    let out: CapturedOutput;
    for (;;) {
      run.ran.push(step.command);
      const r = await exec(step.command);
      if (!(step.okExitCodes ?? [0]).includes(r.code)) {
        run.error = `command '${step.command.split('\n', 1)[0]}' failed: exit code ${r.code}`;
        return run;
      }
      out = { stdout: r.stdout.replace(/\n$/, ''), exitCode: r.code };
      if (!step.retry || step.retry.until(out)) break;
      if (Date.now() + step.retry.intervalMs > deadline) {
        run.error = `${step.retry.describe}: not reached within ${Math.round(step.retry.timeoutMs / 1000)} s (last output above)`;
        return run;
      }
      await new Promise((r) => setTimeout(r, Math.min(step.retry!.intervalMs, 50)));
    }
    const problem = step.verify?.(out, run.outputs);
    if (problem) {
      run.error = problem;
      return run;
    }
    if (step.capture) run.outputs[step.capture] = out;
  }
  return run;
}
