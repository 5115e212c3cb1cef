import { resolveStep, type CapturedOutput, type Plan } from '../../job-kind';
import type { NodeFacts } from '../../node-facts';
import { pveNodeFacts } from '../../testing/node-facts.fixture';

/** Hand-built facts of a PVE node (unit tests never depend on the facts parsers). */
export function pveFacts(over: Partial<NodeFacts> = {}): NodeFacts {
  return pveNodeFacts(over.pveMajor === 9 ? 9 : 8, { collectedAt: Date.UTC(2026, 10, 23, 8, 0, 0), ...over });
}

/**
 * Walks a plan the way the task runner does (conditions on earlier captures, captures, verify),
 * answering each command from `answers` (by command, in order for repeated commands).
 */
export function walkPlan(plan: Plan, answers: Record<string, string | string[]>) {
  const outputs: Record<string, CapturedOutput> = {};
  const ran: string[] = [];
  const skipped: string[] = [];
  const used = new Map<string, number>();
  for (const planned of plan.steps) {
    if (planned.when && !planned.when.holds(outputs)) {
      skipped.push(planned.command);
      continue;
    }
    const step = resolveStep(planned, outputs);
    if (!step) {
      skipped.push(planned.command);
      continue;
    }
    ran.push(step.command);
    const answer = answers[step.command] ?? '';
    const n = used.get(step.command) ?? 0;
    used.set(step.command, n + 1);
    const out = { stdout: Array.isArray(answer) ? (answer.at(n) ?? answer.at(-1) ?? '') : answer, exitCode: 0 };
    const problem = step.verify?.(out, outputs);
    if (problem) return { ran, skipped, outputs, failure: problem };
    if (step.capture) outputs[step.capture] = out;
  }
  return { ran, skipped, outputs, failure: undefined };
}

interface ExecPeer {
  exec(node: string, script: string): Promise<{ stdout: string; stderr: string; code: number }>;
}

/**
 * Runs a plan's commands on a simulated node the way the task runner does (conditions, exit codes,
 * captures, verify), reboot steps excepted. Returns the first failure as the runner would word it.
 */
export async function runOnPeer(peer: ExecPeer, node: string, plan: Plan) {
  const outputs: Record<string, CapturedOutput> = {};
  const ran: string[] = [];
  for (const step of plan.steps) {
    if (step.when && !step.when.holds(outputs)) continue;
    if (step.reboot) throw new Error('runOnPeer does not reboot');
    ran.push(step.command);
    const r = await peer.exec(node, step.command);
    const out = { stdout: r.stdout.replace(/\n$/, ''), exitCode: r.code };
    if (!(step.okExitCodes ?? [0]).includes(r.code))
      return { ran, outputs, failure: `command '${step.command.split('\n')[0]}' failed: exit code ${r.code}`, stderr: r.stderr };
    const problem = step.verify?.(out, outputs);
    if (problem) return { ran, outputs, failure: problem, stderr: r.stderr };
    if (step.capture) outputs[step.capture] = out;
  }
  return { ran, outputs, failure: undefined, stderr: '' };
}
