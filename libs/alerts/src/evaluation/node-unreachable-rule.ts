import { Inject, Injectable } from '@nestjs/common';
import { nodeUnreachableMessage } from '../alert-messages';
import { DEFAULT_UNREACHABLE_MINUTES } from '../alert-rules';
import { dedupeKeys } from '../dedupe-keys';
import { AlertSourcesRepository } from '../persistence/alert-sources.repository';
import { NewOnly } from './new-only';
import type { Evaluation, EvaluationContext, RuleEvaluation } from './rule-evaluation';

/**
 * Nodes whose facts cannot be read and whose last successful read (or registration) is older than N
 * minutes of the Clock. One alert per outage: its key names the last successful read before it.
 */
@Injectable()
export class NodeUnreachableRule implements RuleEvaluation {
  readonly rule = 'node-unreachable';

  constructor(
    @Inject(AlertSourcesRepository) private readonly sources: AlertSourcesRepository,
    @Inject(NewOnly) private readonly newOnly: NewOnly,
  ) {}

  async evaluate(ctx: EvaluationContext): Promise<Evaluation> {
    const minutes = ctx.rule.threshold ?? DEFAULT_UNREACHABLE_MINUTES;
    const nodes = await this.sources.unreachableNodes(new Date(ctx.now.getTime() - minutes * 60_000));
    const fresh = await this.newOnly.filter(nodes, (n) => dedupeKeys.nodeUnreachable(n.node, n.lastSuccessAt, n.createdAt));
    const lastFacts = await this.sources.latestTasks(
      fresh.map((f) => f.item.node),
      ['facts'],
      true,
    );
    return {
      drafts: fresh.map(({ item: n, key }) => {
        const upid = lastFacts.get(n.node) ?? null;
        return {
          rule: this.rule,
          dedupeKey: key,
          node: n.node,
          taskUpid: upid,
          rolloutId: null,
          ...nodeUnreachableMessage({ ...n, lastFactsUpid: upid }, ctx.now, minutes),
        };
      }),
      advance: () => Promise.resolve(),
    };
  }
}
