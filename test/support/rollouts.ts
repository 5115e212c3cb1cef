import { expect } from 'vitest';
import { apiClient } from './api-client';
import { TestFleet } from './fleet';
import type { paths } from '@pvefleet/contracts';
import type { Stack } from './stack';

type RolloutRequestBody = paths['/api/v1/rollouts']['post']['requestBody']['content']['application/json'];
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
  const { data, response, error } = await apiClient(stack).POST('/api/v1/tasks', { body: { selector: { nodes }, type: 'facts' } });
  expect(response.status, JSON.stringify(error)).toBe(202);
  if (!data || !('tasks' in data)) throw new Error(`no tasks in ${JSON.stringify(data)}`);
  await Promise.all(data.tasks.map((t) => waitForStatus(stack, t.upid)));
}

export async function startRollout(stack: Stack, body: Record<string, unknown>): Promise<RolloutJson> {
  // The body is the test's own (some deliberately odd); its answer is still checked against the contract.
  const { data, response, error } = await apiClient(stack).POST('/api/v1/rollouts', {
    body: { timeouts: FAST_TIMEOUTS, ...body } as RolloutRequestBody,
  });
  expect(response.status, JSON.stringify(error)).toBe(201);
  return data as RolloutJson;
}

export async function getRollout(stack: Stack, id: number): Promise<RolloutJson> {
  const { data, response } = await apiClient(stack).GET('/api/v1/rollouts/{id}', { params: { path: { id } } });
  expect(response.status).toBe(200);
  return data!;
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
  const { data } = await apiClient(stack).GET('/api/v1/rollouts/{id}/events', { params: { path: { id }, query: { limit: 10_000 } } });
  return (data ?? []).map((e) => e.message);
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
