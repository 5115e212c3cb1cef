import { Inject, Injectable } from '@nestjs/common';
import { errorClassOf, errorMessage } from '@pvefleet/errors';
import type { Outputs, PlanStep } from '@pvefleet/jobs';
import type { NodeConnectionRow } from '@pvefleet/nodes';
import { NodeConnector, type NodeConnection } from './node-connection';
import { StepExecutor, abortableSleep, type StepRun } from './step-executor';
import { CommandCutOff, TaskFailure } from '../task-failure';

export const DEFAULT_REBOOT_WAIT_MS = 10 * 60_000;
const POLL_MS = 1_000;
const BOOT_ID: PlanStep = { command: 'cat /proc/sys/kernel/random/boot_id', capture: 'bootId' };
const RUNNING_KERNEL: PlanStep = { command: 'uname -r', capture: 'kernel' };

export interface RebootRecord {
  bootIdBefore: string;
  bootIdAfter: string;
  kernel: string;
  downSeconds: number;
}

/**
 * A reboot counts only when the node answers again with a new boot id and the expected kernel.
 * A `reboot` that returns but changes nothing (molly-guard, a hung shutdown) fails the step, and so
 * does a node that never comes back; neither is ever reported as rebooted.
 */
@Injectable()
export class RebootProtocol {
  constructor(
    @Inject(StepExecutor) private readonly steps: StepExecutor,
    @Inject(NodeConnector) private readonly connector: NodeConnector,
  ) {}

  async reboot(
    step: PlanStep,
    outputs: Outputs,
    node: NodeConnectionRow,
    connection: NodeConnection,
    ctx: StepRun,
  ): Promise<{ connection: NodeConnection; record: RebootRecord }> {
    const before = (await this.steps.once(BOOT_ID, ctx, false)).stdout.trim();
    ctx.log.write('sys', `boot id before reboot: ${before}`);
    this.steps.logCommand(ctx.log, step.command);
    try {
      await this.steps.once(step, ctx, true);
    } catch (err) {
      // The node may drop the connection (or kill the command) before reporting an exit status:
      // that is the reboot starting. Any other failure refused the reboot, for the same reason.
      if (!(err instanceof CommandCutOff)) {
        throw new TaskFailure(`reboot refused: ${errorMessage(err)}`, errorClassOf(err), { cause: err });
      }
    }
    // The node is going down: this connection (and any other task's channel on it) ends here.
    connection.release(true);
    const started = Date.now();
    const waitMs = step.reboot?.waitTimeoutMs ?? DEFAULT_REBOOT_WAIT_MS;
    let sameBoot = false;
    let lastError = 'no answer';
    ctx.log.write('sys', `waiting up to ${Math.round(waitMs / 1000)} s for the node to come back with a new boot id`);
    while (Date.now() - started < waitMs) {
      await abortableSleep(POLL_MS, ctx.abort);
      if (ctx.abort.aborted) throw new TaskFailure('received interrupt (while waiting for the node to reboot)', 'cancelled');
      let fresh: NodeConnection | undefined;
      let back: { after: string; kernel: string };
      try {
        fresh = await this.connector.open(node, ctx.log, { pooled: false });
        const run = { ...ctx, session: fresh.session };
        const after = (await this.steps.once(BOOT_ID, run, false)).stdout.trim();
        if (!after || after === before) {
          sameBoot = true;
          fresh.release(true);
          continue;
        }
        back = { after, kernel: (await this.steps.once(RUNNING_KERNEL, run, false)).stdout.trim() };
      } catch (err) {
        // Not back yet (refused, dropped, still shutting down): the next poll tries again.
        fresh?.release(true);
        lastError = errorMessage(err);
        sameBoot = false;
        continue;
      }
      const downSeconds = Math.round((Date.now() - started) / 1000);
      ctx.log.write('sys', `node is back after ${downSeconds} s: boot id ${back.after}, kernel ${back.kernel}`);
      const expected = step.reboot?.expectKernel?.(outputs);
      if (expected && back.kernel !== expected) {
        fresh.release(true);
        throw new TaskFailure(`node rebooted but runs kernel ${back.kernel}, expected ${expected}`);
      }
      return { connection: fresh, record: { bootIdBefore: before, bootIdAfter: back.after, kernel: back.kernel, downSeconds } };
    }
    const waited = Math.round(waitMs / 1000);
    throw new TaskFailure(
      sameBoot
        ? `reboot did not happen: the node still answers with boot id ${before} after ${waited} s`
        : `node did not come back within ${waited} s after reboot (${lastError})`,
      sameBoot ? 'permanent' : 'timeout',
    );
  }
}
