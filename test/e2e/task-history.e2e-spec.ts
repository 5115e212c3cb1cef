import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/services.mjs';
import { healthBody, taskListBody } from '@pvefleet/contracts';
import { z } from 'zod';
import { apiClient } from '../support/api-client';
import { Stack } from '../support/stack';
import { TestSshd } from '../support/sshd';
import { registerNode, startTask, uniqueName, waitForStatus } from '../support/tasks';
import { stopAll } from '../support/teardown';

describe('task history: filters, paging and totals', () => {
  let stack: Stack;
  let sshd: TestSshd;
  let nodeA: string;
  let nodeB: string;
  const upids: Record<string, string> = {};
  let ciToken: string;
  let t0: number;

  beforeAll(async () => {
    [stack, sshd] = await Promise.all([Stack.start(), TestSshd.start()]);
    [nodeA, nodeB] = await Promise.all([registerNode(stack, sshd), registerNode(stack, sshd)]);
    ciToken = (await apiClient(stack).POST('/api/v1/tokens', { body: { name: `hist${Date.now()}` } })).data!.token;
    t0 = Math.floor(Date.now() / 1000);
    upids.factsA = await startTask(stack, nodeA, 'facts');
    upids.aptA = await startTask(stack, nodeA, 'aptupdate');
    await Promise.all([waitForStatus(stack, upids.factsA), waitForStatus(stack, upids.aptA)]);
    sshd.setApt({ exitCode: 100 });
    const { data: aptB } = await apiClient(stack, ciToken).POST('/api/v1/nodes/{name}/tasks', {
      params: { path: { name: nodeB } },
      body: { type: 'aptupdate' },
    });
    if (!aptB || !('upid' in aptB)) throw new Error(`no UPID in ${JSON.stringify(aptB)}`);
    upids.aptB = aptB.upid;
    await Promise.all(Object.values(upids).map((u) => waitForStatus(stack, u)));
    sshd.setApt({});
  });
  afterAll(async () => {
    await stopAll(stack, sshd);
  });

  const list = async (q: string) => {
    const res = await stack.http.get(`/tasks?${q}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return taskListBody.parse(res.body);
  };

  const logPage = async (upid: string, query: { start?: number; limit?: number }) => {
    const { data, response, error } = await apiClient(stack).GET('/api/v1/tasks/{upid}/log', { params: { path: { upid }, query } });
    expect(response.status, JSON.stringify(error)).toBe(200);
    return data!;
  };

  it('filters by node, newest first, with a total', async () => {
    const r = await list(`node=${nodeA}`);
    expect(r.total).toBe(2);
    expect(r.totalExact).toBe(true);
    expect(r.data.map((t) => t.upid)).toEqual([upids.aptA, upids.factsA]);
  });

  it('filters by type, status, user and errors', async () => {
    expect((await list(`node=${nodeA}&type=facts`)).data.map((t) => t.upid)).toEqual([upids.factsA]);
    expect((await list(`node=${nodeB}&status=stopped`)).total).toBe(1);
    expect((await list(`node=${nodeB}&status=running`)).total).toBe(0);
    const byUser = await list(`user=${encodeURIComponent(upids.aptB.split(':')[7])}`);
    expect(byUser.data.map((t) => t.upid)).toEqual([upids.aptB]);
    const errors = await list(`errors=1&node=${nodeB}`);
    expect(errors.data.map((t) => t.exitstatus)).toEqual(["command 'apt-get update' failed: exit code 100"]);
    expect((await list(`errors=1&node=${nodeA}`)).total).toBe(0);
  });

  it('filters by time (epoch seconds or ISO) and pages', async () => {
    expect((await list(`node=${nodeA}&since=${t0 - 5}`)).total).toBe(2);
    expect((await list(`node=${nodeA}&until=${t0 - 60}`)).total).toBe(0);
    expect((await list(`node=${nodeA}&since=${encodeURIComponent(new Date((t0 - 5) * 1000).toISOString())}`)).total).toBe(2);
    const page1 = await list(`node=${nodeA}&limit=1&start=0`);
    const page2 = await list(`node=${nodeA}&limit=1&start=1`);
    expect(page1.total).toBe(2);
    expect([...page1.data, ...page2.data].map((t) => t.upid)).toEqual([upids.aptA, upids.factsA]);
  });

  it('counts a total exactly up to 10,000 tasks, and says when a larger one is an estimate', async () => {
    const node = uniqueName('bulk');
    const db = new pg.Client({ connectionString: stack.env.DATABASE_URL });
    await db.connect();
    try {
      // 10,001 stopped tasks of one node, one second apart, written straight into the table.
      await db.query(
        `INSERT INTO task (upid, node, type, "user", status, exitstatus, mutating, start_time)
         SELECT format('UPID:%s:%s:00000001:%s:facts::root@pam:', $1::text, lpad(upper(to_hex(g)), 8, '0'), lpad(upper(to_hex(1700000000 + g)), 8, '0')),
                $1, 'facts', 'root@pam', 'stopped', 'OK', false, to_timestamp(1700000000 + g)
           FROM generate_series(1, 10001) g`,
        [node],
      );
      const all = await list(`node=${node}&limit=2`);
      expect(all.totalExact).toBe(false);
      expect(all.total).toBeGreaterThan(10_000);
      expect(all.data.map((t) => t.upid.split(':')[2])).toEqual(['00002711', '00002710']);
      const tenThousand = await list(`node=${node}&since=1700000002&limit=1`);
      expect([tenThousand.total, tenThousand.totalExact]).toEqual([10_000, true]);
      const deep = await list(`node=${node}&start=9999&limit=5`);
      expect(deep.data.map((t) => t.upid.split(':')[2])).toEqual(['00000002', '00000001']);
      expect([(await list(`node=${node}&errors=1`)).total, (await list(`node=${node}&status=running`)).totalExact]).toEqual([0, true]);
    } finally {
      await db.query('DELETE FROM task WHERE node = $1', [node]);
      await db.end();
    }
  });

  it('pages a log with start and limit, numbering lines from 1', async () => {
    const all = await logPage(upids.factsA, { limit: 1000 });
    // A facts log is short (the script by name, a summary, the end line): page inside it.
    expect(all.total).toBeGreaterThanOrEqual(3);
    const page = await logPage(upids.factsA, { start: 1, limit: 2 });
    expect(page.total).toBe(all.total);
    expect(page.data.map((l) => l.n)).toEqual([2, 3]);
    expect(page.data).toEqual(all.data.slice(1, 3));
  });

  it('keeps every line, stream and time of a log once its chunks are merged at stop', async () => {
    const db = new pg.Client({ connectionString: stack.env.DATABASE_URL });
    await db.connect();
    try {
      const { rows } = await db.query<{ chunks: number; lines: number }>(
        `SELECT count(*)::int AS chunks, sum(line_count)::int AS lines FROM task_log_chunk c JOIN task t ON t.id = c.task_id WHERE t.upid = $1`,
        [upids.aptB],
      );
      const log = await logPage(upids.aptB, { limit: 1000 });
      expect(rows[0]).toEqual({ chunks: 1, lines: log.total });
      expect(log.data.map((l) => l.n)).toEqual(Array.from({ length: log.total }, (_, i) => i + 1));
      expect(log.data.at(-1)).toMatchObject({ t: "TASK ERROR: command 'apt-get update' failed: exit code 100", stream: 'sys' });
      const ts = log.data.map((l) => l.ts);
      expect(ts).toEqual([...ts].sort((a, b) => a - b));
    } finally {
      await db.end();
    }
  });

  it('serves OpenAPI at /docs', async () => {
    const doc = await stack.http.raw.get('/docs-json');
    expect(doc.status).toBe(200);
    expect(Object.keys(z.object({ paths: z.record(z.string(), z.unknown()) }).parse(doc.body).paths)).toEqual(
      expect.arrayContaining(['/api/v1/nodes', '/api/v1/nodes/{name}/tasks', '/api/v1/tasks/{upid}/log']),
    );
    expect((await stack.http.raw.get('/docs')).status).toBe(200);
  });
});

describe('health', () => {
  it('reports a Redis that is down with 503, naming it', async () => {
    const stack = await Stack.start({ workers: 0, waitHealthy: false, env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}` } });
    try {
      const res = await stack.http.raw.get('/api/v1/health');
      expect(res.status).toBe(503);
      const health = healthBody.parse(res.body);
      expect(health.postgres.status).toBe('up');
      expect(health.redis.status).toBe('down');
    } finally {
      await stack.stop();
    }
  });
});
