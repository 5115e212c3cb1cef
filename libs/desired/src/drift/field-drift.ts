import type { NodeFacts } from '@pvefleet/jobs';
import type { AnyDesiredField, FieldMode } from '../desired-field';
import { DESIRED_FIELDS } from '../desired-fields';
import type { FieldSource, MergedField } from '../merge';

/** `unknown`: the facts cannot tell (none yet, too old, the node unreachable, a section unreadable): never compliant. */
export const DRIFT_STATUSES = ['compliant', 'drift', 'unknown'] as const;
export type DriftStatus = (typeof DRIFT_STATUSES)[number];

/** One field of one node: what is declared, what the facts show, and whether they agree. */
export interface FieldDrift {
  field: string;
  status: DriftStatus;
  mode: FieldMode;
  source: FieldSource;
  desired: unknown;
  /** The field's observation from `node.observed`; null when there is none. */
  observed: unknown;
  /** Why it drifts or is unknown; null when compliant. */
  reason: string | null;
}

/** What drift is computed from for one node: its merged desired state and what its last facts showed. */
export interface NodeDriftInput {
  desired: Record<string, MergedField>;
  /** `node.observed`: { [field]: observation }, null before the first facts. */
  observed: Record<string, unknown> | null;
  /** When the stored facts were read (epoch ms), null without facts. */
  factsAt: number | null;
  /** The last failed facts collection (unreachable, auth, host key), null when the last one worked. */
  factsError: { message: string; at: number } | null;
}

/** The clock and the refresh interval: facts older than two intervals tell nothing any more. */
export interface DriftClock {
  now: number;
  refreshIntervalMs: number;
}

/** Whether facts read at `factsAt` are too old to decide on (older than two refresh intervals). */
export function factsStale(factsAt: number, clock: DriftClock): boolean {
  return clock.now - factsAt > 2 * clock.refreshIntervalMs;
}

/**
 * Why none of this node's facts can be trusted, or undefined when they can. Every field is then
 * `unknown`: a node that cannot be reached or has not been read lately is never shown compliant.
 */
export function whyFactsUntrusted(input: Pick<NodeDriftInput, 'factsAt' | 'factsError'>, clock: DriftClock): string | undefined {
  if (input.factsError) {
    return `facts could not be collected at ${new Date(input.factsError.at).toISOString()}: ${input.factsError.message}`;
  }
  if (input.factsAt === null) return 'no facts collected yet';
  if (factsStale(input.factsAt, clock)) {
    const minutes = Math.round(clock.refreshIntervalMs / 60_000);
    return `facts from ${new Date(input.factsAt).toISOString()} are older than two refresh intervals (2 × ${minutes} min)`;
  }
  return undefined;
}

/** Fields that can drift: those with something on the node to observe (a setting such as the upgrade policy has none). */
export function observable(field: AnyDesiredField | undefined): field is AnyDesiredField & Required<Pick<AnyDesiredField, 'observe'>> {
  return typeof field?.observe === 'function';
}

/**
 * The drift of every observable desired field of one node, in the registry's order. Pure: the same
 * input and clock give the same rows. Keys that are desired but not observable (settings) have no row.
 */
export function computeNodeDrift(
  input: NodeDriftInput,
  clock: DriftClock,
  fields: readonly AnyDesiredField[] = DESIRED_FIELDS,
): FieldDrift[] {
  const untrusted = whyFactsUntrusted(input, clock);
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const ordered = [
    ...fields.map((f) => f.key),
    ...Object.keys(input.desired)
      .filter((k) => !byKey.has(k))
      .sort(),
  ];
  const out: FieldDrift[] = [];
  for (const key of ordered) {
    const merged = input.desired[key] as MergedField | undefined;
    if (!merged) continue;
    const field = byKey.get(key);
    const row = { field: key, mode: merged.mode, source: merged.source, desired: merged.value };
    if (!field) {
      out.push({ ...row, status: 'unknown', observed: null, reason: `'${key}' is not a field this version of pvefleet knows` });
      continue;
    }
    if (!observable(field)) continue;
    const observed = input.observed?.[key] ?? null;
    out.push({ ...row, observed, ...judge(field, merged.value, observed, untrusted, clock.now) });
  }
  return out;
}

function judge(
  field: AnyDesiredField,
  desired: unknown,
  observed: unknown,
  untrusted: string | undefined,
  now: number,
): { status: DriftStatus; reason: string | null } {
  if (untrusted) return { status: 'unknown', reason: untrusted };
  if (observed === null) return { status: 'unknown', reason: `the node's facts do not show ${field.description}` };
  let why: string | undefined;
  try {
    why = field.differs?.(desired, observed, now);
  } catch (err) {
    // A field that cannot compare (an observation from an older version, say) cannot vouch for the node.
    return { status: 'unknown', reason: `cannot compare ${field.key}: ${err instanceof Error ? err.message : String(err)}` };
  }
  return why === undefined ? { status: 'compliant', reason: null } : { status: 'drift', reason: why };
}

/**
 * The entry of `node.observed` that holds the node's cluster name (from `pvecm status`): selectors
 * and the fleet's per-cluster counts read it there instead of the full facts. `$` is never in a field key.
 */
export const OBSERVED_CLUSTER = '$cluster';

/**
 * What the worker stores in `node.observed` with a node's facts: every observable field's compact
 * observation (null where the facts cannot tell), so drift never reads the full facts, and the
 * node's cluster (OBSERVED_CLUSTER).
 */
export function observeAll(facts: NodeFacts, fields: readonly AnyDesiredField[] = DESIRED_FIELDS): Record<string, unknown> {
  const out: Record<string, unknown> = { [OBSERVED_CLUSTER]: facts.cluster?.name ?? null };
  for (const field of fields) {
    if (!observable(field)) continue;
    try {
      out[field.key] = field.observe(facts) ?? null;
    } catch {
      // An observation that throws on odd facts is "cannot tell": the field shows unknown, never compliant.
      out[field.key] = null;
    }
  }
  return out;
}
