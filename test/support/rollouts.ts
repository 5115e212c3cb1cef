import { expect } from 'vitest';
import { TestFleet } from './fleet';
import type { Stack } from './stack';
import { eventually, waitForStatus } from './tasks';

export interface RolloutJson {
  id: number;
  status: string;
  reason: string | null;
  batch: { current: number; total: number };
  batches: string[][];
  progress: Record<string, number>;
  nodes: {
    node: string;
    cluster: string | null;
    batch: number;
    state: string;
    step: string | null;
    detail: string | null;
    task: string | null;
    tasks: { step: string; upid: string; exitstatus?: string | null }[];
    retries: number;
  }[];
}

/** Short timeouts so failures surface in seconds, not the production minutes. */
export const FAST_TIMEOUTS = { preflight: 5, maintenance: 20, migrate: 20, reboot: 20, health: 20 };

/** Facts first: rollouts group nodes by the cluster they report. */
export async function refreshFacts(stack: Stack, nodes: string[]): Promise<void> {
  const res = await stack.http.post('/tasks', { selector: { nodes }, type: 'facts' });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await Promise.all(res.body.tasks.map((t: { upid: string }) => waitForStatus(stack, t.upid)));
}

export async function startRollout(stack: Stack, body: Record<string, unknown>): Promise<RolloutJson> {
  const res = await stack.http.post('/rollouts', { timeouts: FAST_TIMEOUTS, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

export async function getRollout(stack: Stack, id: number): Promise<RolloutJson> {
  const res = await stack.http.get(`/rollouts/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

export function waitForRollout(stack: Stack, id: number, statuses: string[], timeoutMs = 120_000): Promise<RolloutJson> {
  return eventually(
    async () => {
      const r = await getRollout(stack, id);
      return statuses.includes(r.status) ? r : undefined;
    },
    timeoutMs,
    `rollout ${id} to be ${statuses.join(' or ')}`,
  );
}

/** Polls a rollout until `check` holds for it (say `what` it waits for, for the timeout's message). */
export function waitForRolloutWhere(
  stack: Stack,
  id: number,
  what: string,
  check: (r: RolloutJson) => boolean,
  timeoutMs = 120_000,
): Promise<RolloutJson> {
  return eventually(
    async () => {
      const r = await getRollout(stack, id);
      return check(r) ? r : undefined;
    },
    timeoutMs,
    what,
  );
}

export async function rolloutEvents(stack: Stack, id: number): Promise<string[]> {
  const res = await stack.http.get(`/rollouts/${id}/events?limit=10000`);
  return res.body.map((e: { message: string }) => e.message);
}

/** The rollout's node rows, for tests that want every step a node went through. */
export const stepsOf = (r: RolloutJson, node: string): string[] => r.nodes.find((n) => n.node === node)!.tasks.map((t) => t.step);

/**
 * A fresh simulated cluster (3 nodes, fast delays) registered with fresh facts, and the nodes'
 * state before anything ran; `fleets` collects it for the caller's cleanup.
 */
export async function simulatedCluster(stack: Stack, fleets: TestFleet[], opts: Parameters<typeof TestFleet.start>[0] = {}) {
  const fleet = await TestFleet.start({ nodes: 3, sim: { rebootDelayMs: 300, haDelayMs: 20, migrationDelayMs: 5 }, ...opts });
  fleets.push(fleet);
  const nodes = await fleet.register(stack);
  await refreshFacts(stack, nodes);
  const before = Object.fromEntries(nodes.map((n) => [n, structuredClone(fleet.sim.state(n))]));
  return { fleet, nodes, before };
}
