import { Inject, Injectable } from '@nestjs/common';
import { computeNodeDrift, observeAll, type DriftClock, type FieldDrift } from '../drift';
import { mergeDesired, type MergedField, type OverrideDoc, type ProfileDoc } from '../merge';
import type { DesiredStateChanged } from './desired-change';
import { DriftRepository, type DriftNode, type DriftRow } from './drift-repository';
import { FactsRefreshSettings } from './facts-refresh-settings';

/** One node's merged desired state and drift, as computed now. */
export interface NodeDriftNow {
  node: DriftNode;
  desired: Record<string, MergedField>;
  drift: FieldDrift[];
}

/**
 * Recomputes `node_drift` in bulk: every input read in a handful of statements (nodes, profiles,
 * overrides), merged and judged in memory, written back in one statement, never one query per node.
 * Runs after a node's facts are stored (the worker) and after every desired-state change (the API).
 */
@Injectable()
export class DriftRecompute implements DesiredStateChanged {
  constructor(
    @Inject(DriftRepository) private readonly repo: DriftRepository,
    @Inject(FactsRefreshSettings) private readonly settings: FactsRefreshSettings,
  ) {}

  /** A desired-state change can move any node: all of them. */
  changed(): Promise<void> {
    return this.forAllNodes().then(() => undefined);
  }

  async forNode(nodeId: number): Promise<number> {
    return this.forNodes([nodeId]);
  }

  /** Returns how many drift rows were written. */
  async forNodes(nodeIds: readonly number[]): Promise<number> {
    if (!nodeIds.length) return 0;
    return this.recompute(nodeIds);
  }

  async forAllNodes(): Promise<number> {
    return this.recompute(undefined);
  }

  /** The drift of these nodes as of now, without writing it (the per-node view's live answer). */
  async compute(nodeIds?: readonly number[]): Promise<NodeDriftNow[]> {
    const [nodes, profiles, overrides, clock] = await Promise.all([
      this.repo.nodes(nodeIds),
      this.repo.profiles(),
      this.repo.overrides(nodeIds),
      this.clock(),
    ]);
    return this.judge(nodes, profiles, overrides, clock);
  }

  private async recompute(nodeIds: readonly number[] | undefined): Promise<number> {
    const computed = await this.compute(nodeIds);
    // Full facts are only read for nodes without an observation: theirs was just made from them.
    const backfill = computed.flatMap((c) => (c.node.facts && c.node.observed ? [{ id: c.node.id, observed: c.node.observed }] : []));
    await this.repo.backfillObserved(backfill);
    const rows: DriftRow[] = computed.flatMap((c) => c.drift.map((d) => ({ ...d, nodeId: c.node.id })));
    await this.repo.write(
      computed.map((c) => c.node.id),
      rows,
      new Date(),
    );
    return rows.length;
  }

  private judge(nodes: DriftNode[], profiles: ProfileDoc[], overrides: Map<number, OverrideDoc>, clock: DriftClock): NodeDriftNow[] {
    return nodes.map((node) => {
      // A node stored before its observation existed: observed from its facts here, written back once.
      if (node.observed === null && node.facts) node = { ...node, observed: observeAll(node.facts) };
      const desired = mergeDesired(node, profiles, overrides.get(node.id) ?? null);
      const drift = computeNodeDrift(
        {
          desired,
          observed: node.observed,
          factsAt: node.factsAt?.getTime() ?? null,
          factsError: node.factsError ? { message: node.factsError, at: node.factsErrorAt?.getTime() ?? clock.now } : null,
        },
        clock,
      );
      return { node, desired, drift };
    });
  }

  private async clock(): Promise<DriftClock> {
    return { now: Date.now(), refreshIntervalMs: await this.settings.intervalMs() };
  }
}
