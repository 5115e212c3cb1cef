import { randomBytes } from 'node:crypto';
import type { paths } from '@pvefleet/contracts';
import { expect } from 'vitest';
import { apiClient } from './api-client';
import type { Stack } from './stack';
import type { TestSshd } from './sshd';

export interface TaskJson {
  upid: string;
  node: string;
  status: 'queued' | 'running' | 'stopped';
  exitstatus: string | null;
  /** Why it failed (libs/errors): null unless it did. */
  errorClass?: string | null;
  startedAt: string | null;
  endedAt: string | null;
  type: string;
  user: string;
  logLines: number;
  result?: unknown;
}

/** Fresh names per test, so tests share one database without truncating it. */
export const uniqueName = (prefix = 'n') => `${prefix}${randomBytes(4).toString('hex')}`;

/** The fleet form's body (POST /tasks): one job spec and a node selector. */
export type FleetRequest = paths['/api/v1/tasks']['post']['requestBody']['content']['application/json'];

/** Submits the fleet form and returns the tasks it queued, one per selected node. */
export async function startFleetTasks(stack: Stack, body: FleetRequest) {
  const { data, response, error } = await apiClient(stack).POST('/api/v1/tasks', { body: { ...body, dryRun: false } });
  expect(response.status, JSON.stringify(error)).toBe(202);
  if (!data || !('tasks' in data)) throw new Error(`no tasks in ${JSON.stringify(data)}`);
  return data.tasks;
}

/** The fleet form's dry run: every selected node's plan, nothing started. */
export async function planFleetTasks(stack: Stack, body: FleetRequest) {
  const { data, response, error } = await apiClient(stack).POST('/api/v1/tasks', { body: { ...body, dryRun: true } });
  expect(response.status, JSON.stringify(error)).toBe(200);
  if (!data || !('plans' in data)) throw new Error(`no plans in ${JSON.stringify(data)}`);
  return data.plans;
}

/** How many tasks GET /tasks counts (all of them, unfiltered). */
export async function taskTotal(stack: Stack): Promise<number> {
  const { data, response, error } = await apiClient(stack).GET('/api/v1/tasks', { params: { query: { limit: 1 } } });
  expect(response.status, JSON.stringify(error)).toBe(200);
  return data!.total;
}

/** Polls with a hard deadline; never a bare sleep. */
export async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function registerNode(stack: Stack, sshd: TestSshd, extra: Record<string, unknown> = {}): Promise<string> {
  const name = uniqueName();
  const { response, error } = await apiClient(stack).POST('/api/v1/nodes', {
    body: {
      name,
      host: sshd.host,
      port: sshd.port,
      sshUser: sshd.user,
      credential: { type: 'key', privateKey: sshd.privateKey },
      ...extra,
    },
  });
  expect(response.status, JSON.stringify(error)).toBe(201);
  return name;
}

export async function startTask(stack: Stack, node: string, type: string, params: object = {}): Promise<string> {
  const { data, response, error } = await apiClient(stack).POST('/api/v1/nodes/{name}/tasks', {
    params: { path: { name: node } },
    body: { type, params: params as Record<string, unknown> },
  });
  expect(response.status, JSON.stringify(error)).toBe(202);
  if (!data || !('upid' in data)) throw new Error(`no UPID in ${JSON.stringify(data)}`);
  return data.upid;
}

export async function getTask(stack: Stack, upid: string): Promise<TaskJson> {
  const { data, response, error } = await apiClient(stack).GET('/api/v1/tasks/{upid}', { params: { path: { upid } } });
  expect(response.status, JSON.stringify(error)).toBe(200);
  return data!;
}

export function waitForStatus(stack: Stack, upid: string, status: TaskJson['status'] = 'stopped', timeoutMs = 30_000): Promise<TaskJson> {
  return eventually(
    async () => {
      const t = await getTask(stack, upid);
      return t.status === status ? t : undefined;
    },
    timeoutMs,
    `task ${upid} to be ${status}`,
  );
}

/** The whole log, paged 50,000 lines at a time (the API's largest page). */
export async function taskLog(stack: Stack, upid: string): Promise<{ n: number; t: string }[]> {
  const lines: { n: number; t: string }[] = [];
  for (;;) {
    const { data, response } = await apiClient(stack).GET('/api/v1/tasks/{upid}/log', {
      params: { path: { upid }, query: { start: lines.length, limit: 50_000 } },
    });
    expect(response.status).toBe(200);
    lines.push(...data!.data);
    if (data!.data.length < 50_000) return lines;
  }
}

/** Waits until the running task's stored log has at least this many lines (its `logLines` counts only once stopped). */
export function waitForLogLines(stack: Stack, upid: string, atLeast: number, timeoutMs = 20_000): Promise<number> {
  return eventually(
    async () => {
      const { data } = await apiClient(stack).GET('/api/v1/tasks/{upid}/log', {
        params: { path: { upid }, query: { start: 0, limit: 1 } },
      });
      return data?.status === 'running' && data.total >= atLeast ? data.total : undefined;
    },
    timeoutMs,
    `${atLeast} stored log lines of running task ${upid}`,
  );
}
