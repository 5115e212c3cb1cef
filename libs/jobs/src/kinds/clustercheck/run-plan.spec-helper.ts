import { resolveStep, type CapturedOutput, type Plan, type PlanStep } from '../../job-kind';

/** What a test hands over to run a command: the simulator's `exec`, say. */
export type Exec = (command: string) => Promise<{ stdout: string; code: number }>;

export interface PlanRun {
  outputs: Record<string, CapturedOutput>;
  /** The text a task would end with, worded as the runner words it; undefined when all went well. */
  error?: string;
  /** Commands run, in order (a retried one once per attempt; rollback commands after the failure). */
  ran: string[];
  skipped: string[];
}

/**
 * Runs a plan the way the task runner does (conditions, exit codes, retries, verification, the
 * rollback after a failure past the backup), minus SSH, logs and reboots: for unit tests of plans
 * against the simulator. Retries wait for real, so tests keep their timeouts short.
 */
export async function runPlan(plan: Plan, exec: Exec): Promise<PlanRun> {
  const run: PlanRun = { outputs: {}, ran: [], skipped: [] };
  const { error, armed } = await runSteps(plan.steps, run, exec);
  if (!error) return run;
  run.error = error;
  if (armed && plan.rollback) {
    const back = await runSteps(plan.rollback.steps, run, exec);
    run.error = back.error ? `${error}; rollback failed (${plan.rollback.describe}): ${back.error}` : `${error}; ${plan.rollback.done}`;
  }
  return run;
}

async function runSteps(steps: readonly PlanStep[], run: PlanRun, exec: Exec): Promise<{ error?: string; armed: boolean }> {
  let armed = false;
  for (const planned of steps) {
    if (planned.when && !planned.when.holds(run.outputs)) {
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
    let command = step.command;
    for (;;) {
      run.ran.push(command);
      const r = await exec(command);
      if (!(step.okExitCodes ?? [0]).includes(r.code))
        return { error: `command '${command.split('\n', 1)[0]}' failed: exit code ${r.code}`, armed };
      out = { stdout: r.stdout.replace(/\n$/, ''), exitCode: r.code };
      if (!step.retry || step.retry.until(out)) break;
      if (Date.now() + step.retry.intervalMs > deadline) {
        return {
          error: `${step.retry.describe}: not reached within ${Math.round(step.retry.timeoutMs / 1000)} s (last output above)`,
          armed,
        };
      }
      const pause = Math.min(step.retry.intervalMs, 50);
      await new Promise((r) => setTimeout(r, pause));
      // A retried commandFrom step is made again from its last attempt, as the runner does.
      if (step.commandFrom && step.capture) command = resolveStep(step, { ...run.outputs, [step.capture]: out })?.command ?? command;
    }
    const problem = step.verify?.(out, run.outputs);
    if (problem) return { error: problem, armed };
    if (step.capture) run.outputs[step.capture] = out;
    if (step.armsRollback) armed = true;
  }
  return { armed };
}
