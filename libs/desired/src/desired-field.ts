import type { NodeFacts, TaskType } from '@pvefleet/jobs';
import type { z } from 'zod';

/** `enforce`: reconcile converges the field. `report`: drift is shown, nothing ever runs. */
export type FieldMode = 'enforce' | 'report';

/** One catalog task that converges a field on a node (or, for a cluster field, on one quorate node). */
export interface FixTask {
  type: TaskType;
  /** The task's params, valid for its kind's spec (the reconcile submits them as any API task). */
  params: Record<string, unknown>;
  /**
   * Devices this task destroys (creating a pool or thin pool): a reconcile runs it only with a
   * confirmation naming the node and exactly these devices.
   */
  destroys?: string[];
}

/**
 * A desired-state field: what an admin declares, what the node's facts show, and the catalog tasks
 * that converge one into the other. Pure, like job kinds: no I/O, time comes in as `now`.
 *
 * `V` is the declared value (validated by `schema`, built from the catalog kind's own spec), `O` the
 * compact observation kept in `node.observed` (so fleet drift never reads full facts).
 */
export interface DesiredField<V = unknown, O = unknown> {
  /** The key in a profile's `fields`, e.g. `ntp`; stable, stored in rows. */
  readonly key: string;
  readonly description: string;
  /** `node`: each node converges on its own. `cluster`: one value per cluster, written through one quorate node. */
  readonly scope: 'node' | 'cluster';
  /** The mode when a profile gives none. */
  readonly defaultMode: FieldMode;
  /** Validates the declared value; errors name `fields.<key>.value.<path>`. */
  readonly schema: z.ZodType<V>;
  /**
   * What the facts show for this field, JSON-serialisable and small; null when the facts cannot tell
   * (a section missing or unreadable): the field is then `unknown`, never compliant.
   * Absent for a setting that has nothing on the node to compare (e.g. the rollout upgrade policy).
   */
  observe?(facts: NodeFacts): O | null;
  /** Why the node is not as declared (one line, naming values), or undefined when compliant. `now`: epoch ms. */
  differs?(desired: V, observed: O, now: number): string | undefined;
  /**
   * The catalog tasks that converge the node from its full facts; [] when nothing is to do. Absent
   * for report-only fields (no kind enforces them).
   */
  fix?(desired: V, facts: NodeFacts): FixTask[];
}

/** A field as the registry holds it (value and observation types erased; callers parse with `schema`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- erased like JobRegistry's kinds: each field checks its own values
export type AnyDesiredField = DesiredField<any, any>;
