import { describeFacts, factsJob, type NodeFacts } from '@pvefleet/jobs';
import type { NodeConnectionRow } from '@pvefleet/nodes';
import type { NodeAccess } from '@pvefleet/nodes/access';
import type { FactsObservers } from './facts-observers';
import type { StepExecutor, StepRun } from './step-executor';
import { TaskFailure, describeFailure } from '../task-failure';

/**
 * Reads a node's facts inside a task (the facts kind's read-only script, its output parsed, not
 * shown) and stores them, so `GET /nodes/{name}` shows the node as this task left it.
 */
export class NodeFactsReader {
  constructor(
    private readonly steps: StepExecutor,
    private readonly nodes: NodeAccess,
    /** What follows facts (desired state, the certificate history), whichever the worker app has. */
    private readonly observers: FactsObservers,
  ) {}

  /** Before a plan that decides from facts: fresh ones, or the task fails. */
  async read(node: NodeConnectionRow, ctx: StepRun): Promise<NodeFacts> {
    ctx.log.write('sys', 'reading node facts (read-only)');
    const facts = await this.collect(ctx);
    await this.store(node, facts, ctx);
    return facts;
  }

  /**
   * After a mutating task's commands, whether they succeeded or failed: what they may have changed
   * (versions, kernels, repositories, pools, storages, …) is recorded before the task ends. Returns
   * why it could not be, for a warning; it never changes how the task ends otherwise.
   */
  async refresh(node: NodeConnectionRow, ctx: StepRun): Promise<string | undefined> {
    if (ctx.abort.aborted) {
      ctx.log.write('sys', 'node facts not refreshed: the task was cancelled');
      return 'node facts not refreshed: the task was cancelled';
    }
    try {
      // Unfenced: it changes nothing, and must not wait behind a command this task's failure left
      // dying on the node (it would hold the node's lock until it is gone).
      const facts = await this.collect({ ...ctx, fenced: false });
      await this.store(node, facts, ctx);
      ctx.log.write('sys', `refreshed node facts (read-only): ${describeFacts(facts)}`);
      return undefined;
    } catch (err) {
      const why = `node facts not refreshed (${describeFailure(err)}): the fleet view shows them as they were before this task`;
      ctx.log.write('sys', why);
      return why;
    }
  }

  /** Facts a kind computed itself (the facts kind, ntp): stored as they are, named in one line. */
  async save(node: NodeConnectionRow, facts: NodeFacts, ctx: StepRun): Promise<void> {
    await this.store(node, facts, ctx);
    ctx.log.write('sys', `saved node facts: ${describeFacts(facts)}`);
  }

  /** A facts task that could not reach or read the node: noted on the node, so its drift shows `unknown`. */
  async failed(node: NodeConnectionRow, message: string, log: StepRun['log']): Promise<void> {
    await this.nodes.saveFactsError(node.id, message);
    await this.changed(node, null, log);
  }

  /** The facts, what desired state observes in them, then the observers (drift, certificate history). */
  private async store(node: NodeConnectionRow, facts: NodeFacts, ctx: StepRun): Promise<void> {
    await this.nodes.saveFacts(node.id, facts, this.observers.observe(facts));
    await this.changed(node, facts, ctx.log);
  }

  /** Derived data: an observer failing is logged in the task and never changes how the task ends. */
  private async changed(node: NodeConnectionRow, facts: NodeFacts | null, log: StepRun['log']): Promise<void> {
    for (const f of await this.observers.changed(node.id, facts)) {
      log.write('sys', `${f.what} of ${node.name} not updated (${f.error}); the next facts read does it`);
    }
  }

  private async collect(ctx: StepRun): Promise<NodeFacts> {
    const [step] = factsJob.plan({}, null).steps;
    const out = await this.steps.once(step, ctx, false);
    const facts = factsJob.finish?.({}, { facts: out }, { facts: null, now: Date.now() }).facts;
    // The facts kind always returns facts; without them there is nothing to plan from.
    if (!facts) throw new TaskFailure('the facts script returned no facts');
    return facts;
  }
}
