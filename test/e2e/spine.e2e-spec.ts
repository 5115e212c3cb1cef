import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { inject } from 'vitest';
import { UPID_PATTERN } from '../../libs/tasks/src/upid';
import { z } from 'zod';
import { apiClient } from '../support/api-client';
import { readLogStream, streamedLine } from '../support/sse';
import { Stack } from '../support/stack';
import { TestSshd } from '../support/sshd';
import { registerNode, startTask, taskLog, waitForStatus } from '../support/tasks';
import { stopAll } from '../support/teardown';
import { FACT_SECTIONS } from '../../libs/jobs/src/kinds/facts/facts-script';

/** The part of a node's stored facts this file reads (facts are the facts kind's own shape, unknown to the contract). */
const storedFacts = z.looseObject({ kernel: z.unknown(), os: z.looseObject({ id: z.unknown() }) });

describe('spine: register a node, run a task over SSH, read its log', () => {
  let stack: Stack;
  let sshd: TestSshd;

  beforeAll(async () => {
    [stack, sshd] = await Promise.all([Stack.start(), TestSshd.start()]);
  });
  afterAll(async () => {
    await stopAll(stack, sshd);
  });

  const getNode = async (name: string) => {
    const { data, response, error } = await apiClient(stack).GET('/api/v1/nodes/{name}', { params: { path: { name } } });
    expect(response.status, JSON.stringify(error)).toBe(200);
    return data!;
  };

  it('registers a node, runs facts, and keeps the log in order ending TASK OK', async () => {
    const node = await registerNode(stack, sshd, { labels: { dc: 'lab' } });
    const upid = await startTask(stack, node, 'facts');
    expect(upid).toMatch(UPID_PATTERN);
    expect(upid).toMatch(new RegExp(`^UPID:${node}:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:facts::admin@pvefleet!bootstrap:$`));

    const task = await waitForStatus(stack, upid);
    expect(task.exitstatus).toBe('OK');
    expect(task.user).toBe('admin@pvefleet!bootstrap');
    expect(Date.parse(task.endedAt!)).toBeGreaterThanOrEqual(Date.parse(task.startedAt!));

    const log = await taskLog(stack, upid);
    expect(log.map((l) => l.n)).toEqual(log.map((_, i) => i + 1));
    const text = log.map((l) => l.t);
    // facts reads everything in one script, logged by what it reads (never its section markers),
    // then one line saying what was stored.
    expect(text).toContain(`# read node facts (read-only script): ${Object.keys(FACT_SECTIONS).join(', ')}`);
    expect(Object.keys(FACT_SECTIONS).slice(0, 4)).toEqual(['hostname', 'kernel', 'osRelease', 'uptime']);
    expect(text.some((l) => l.startsWith('saved node facts: ') && l.includes('kernel '))).toBe(true);
    expect(text.filter((l) => l.includes('@@pvefleet'))).toEqual([]);
    expect(text.at(-1)).toBe('TASK OK');
    expect(task.logLines).toBe(log.length);

    const nodeRes = await getNode(node);
    const facts = storedFacts.parse(nodeRes.facts);
    expect(facts.kernel).toMatch(/\S+/);
    expect(facts.os.id).toBeTruthy();
    expect(nodeRes.factsAt).toBeTruthy();
  });

  it('records the host key at first contact and shows it (trust on first use)', async () => {
    const node = await registerNode(stack, sshd);
    expect((await getNode(node)).hostKeyFingerprint).toBeNull();
    await waitForStatus(stack, await startTask(stack, node, 'facts'));
    const res = await getNode(node);
    expect(res.hostKeyFingerprint).toBe(sshd.fingerprint);
    expect(res.hostKeyAlgorithm).toBe('ssh-ed25519');
    const { data: tasks } = await apiClient(stack).GET('/api/v1/tasks', { params: { query: { node } } });
    const log = await taskLog(stack, tasks!.data[0].upid);
    expect(log[0].t).toContain(`host key ${sshd.fingerprint}`);
  });

  it('never returns a credential, and stores it encrypted', async () => {
    const password = 'S3cret-Pa55word-that-must-not-leak';
    const node = await registerNode(stack, sshd, { credential: { type: 'password', password } });
    const keyNode = await registerNode(stack, sshd);
    const bodies = [
      await stack.http.get(`/nodes/${node}`),
      await stack.http.get('/nodes?limit=1000'),
      await stack.http.patch(`/nodes/${node}`, { labels: { a: 'b' } }),
    ].map((r) => JSON.stringify(r.body));
    for (const body of bodies) {
      expect(body).not.toContain(password);
      expect(body).not.toContain('PRIVATE KEY');
      expect(body).not.toMatch(/"credential"\s*:/);
    }
    const db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
    const { rows } = await db.query<{ credential: string }>('SELECT credential FROM node WHERE name = ANY($1)', [[node, keyNode]]);
    await db.end();
    for (const r of rows) {
      expect(r.credential).toMatch(/^v1\./);
      expect(r.credential).not.toContain(password);
      expect(r.credential).not.toContain('PRIVATE KEY');
    }
  });

  it('streams the live log over SSE while the task runs, then ends', async () => {
    sshd.setApt({ seconds: 2, lines: 4 });
    const node = await registerNode(stack, sshd);
    const upid = await startTask(stack, node, 'aptupdate');
    const events = await readLogStream(stack, upid);
    const task = await waitForStatus(stack, upid);
    const lines = events.filter((e) => !e.event).map(streamedLine);
    expect(lines.map((l) => l.t)).toContain('Hit:1 http://deb.debian.org/debian bookworm InRelease');
    expect(lines.at(-1)?.t).toBe('TASK OK');
    expect(events.at(-1)?.event).toBe('end');
    // Lines arrived while the command ran, not all at the end.
    const first = events.find((e) => e.data.includes('Hit:1'))!;
    const last = events.find((e) => e.data.includes('Hit:4'))!;
    expect(last.at - first.at).toBeGreaterThan(800);
    expect(task.exitstatus).toBe('OK');
  });
});
