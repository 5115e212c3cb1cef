import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { Stack } from './stack';
import type { TestSshd } from './sshd';

export interface TaskJson {
  upid: string;
  node: string;
  status: 'queued' | 'running' | 'stopped';
  exitstatus: string | null;
  startedAt: string | null;
  endedAt: string | null;
  type: string;
  user: string;
  logLines: number;
  result?: unknown;
}

/** Fresh names per test, so tests share one database without truncating it. */
export const uniqueName = (prefix = 'n') => `${prefix}${randomBytes(4).toString('hex')}`;

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
  const res = await stack.http.post('/nodes', {
    name,
    host: sshd.host,
    port: sshd.port,
    sshUser: sshd.user,
    credential: { type: 'key', privateKey: sshd.privateKey },
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return name;
}

export async function startTask(stack: Stack, node: string, type: string, params: object = {}): Promise<string> {
  const res = await stack.http.post(`/nodes/${node}/tasks`, { type, params });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.upid as string;
}

export async function getTask(stack: Stack, upid: string): Promise<TaskJson> {
  const res = await stack.http.get(`/tasks/${encodeURIComponent(upid)}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as TaskJson;
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
    const res = await stack.http.get(`/tasks/${encodeURIComponent(upid)}/log?start=${lines.length}&limit=50000`);
    expect(res.status).toBe(200);
    lines.push(...res.body.data);
    if (res.body.data.length < 50_000) return lines;
  }
}

/** Waits until the running task's stored log has at least this many lines (its `logLines` counts only once stopped). */
export function waitForLogLines(stack: Stack, upid: string, atLeast: number, timeoutMs = 20_000): Promise<number> {
  return eventually(
    async () => {
      const res = await stack.http.get(`/tasks/${encodeURIComponent(upid)}/log?start=0&limit=1`);
      return res.body.status === 'running' && res.body.total >= atLeast ? (res.body.total as number) : undefined;
    },
    timeoutMs,
    `${atLeast} stored log lines of running task ${upid}`,
  );
}
