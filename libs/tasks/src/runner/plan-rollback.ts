import { resolveStep, type CapturedOutput, type Rollback } from '@pvefleet/jobs';
import type { StepExecutor, StepRun } from './step-executor';
import { TaskFailure, describeFailure, failureClass } from '../task-failure';

/**
 * Runs a plan's rollback after one of its steps failed, and returns the failure the task ends
 * with: the original one, and that the node was put back (or that putting it back failed too).
 * It runs even when the task was cancelled: leaving a node half-changed is the worse outcome, and
 * every rollback command is still bounded by the command timeout.
 */
export async function rollBack(
  rollback: Rollback,
  failure: unknown,
  outputs: Record<string, CapturedOutput>,
  ctx: StepRun,
  steps: StepExecutor,
): Promise<TaskFailure> {
  const original = describeFailure(failure);
  ctx.log.write('sys', `${rollback.describe} (the plan failed: ${original})`);
  const rb: StepRun = { ...ctx, abort: new AbortController().signal };
  try {
    for (const planned of rollback.steps) {
      const step = resolveStep(planned, outputs);
      if (!step) continue;
      const out = await steps.run(step, outputs, rb);
      if (step.capture) outputs[step.capture] = out;
    }
  } catch (err) {
    // A node left half-changed needs a person: nothing retries that.
    return new TaskFailure(`${original}; rollback failed (${rollback.describe}): ${describeFailure(err)}`, 'permanent', { cause: err });
  }
  // Put back: the task failed the way the original failure did.
  return new TaskFailure(`${original}; ${rollback.done}`, failureClass(failure), { cause: failure });
}
