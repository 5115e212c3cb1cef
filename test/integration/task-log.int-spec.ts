import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db, PgPool } from '@pvefleet/db';
import { TaskLogReader, TaskLogRepository } from '@pvefleet/tasks';
import { TaskLogWriter } from '@pvefleet/tasks/run';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, seedNode, seedRunningTask } from './support/database';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('task log writer and its compaction SQL, on Postgres', () => {
  let db: Db;
  let pool: PgPool;
  let close: () => Promise<void>;
  let spoolDir: string;
  let writer: TaskLogWriter;
  let reader: TaskLogReader;

  beforeAll(() => {
    ({ db, pool, close } = openDb());
    spoolDir = mkdtempSync(join(tmpdir(), 'pvefleet-int-spool-'));
    const repo = new TaskLogRepository(db, pool);
    writer = new TaskLogWriter(repo, { log: { flushMs: 5, spool: { dir: spoolDir, maxBytes: 1 << 20 } } });
    reader = new TaskLogReader(repo);
  });
  afterAll(async () => {
    await writer.flush();
    await close();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  const chunks = async (taskId: string) =>
    (
      await sql<{ first_n: number; line_count: number }>`
        SELECT first_n, line_count FROM task_log_chunk WHERE task_id = ${taskId}::bigint ORDER BY first_n`.execute(db)
    ).rows;

  const taskRow = async (taskId: string) =>
    (
      await sql<{ status: string; exitstatus: string | null; is_error: boolean; error_class: string | null; log_lines: number | null }>`
        SELECT status, exitstatus, is_error, error_class, log_lines FROM task WHERE id = ${taskId}::bigint`.execute(db)
    ).rows[0];

  it('stores lines as written, and the stop compacts small chunks without changing a line, stream or time', async () => {
    const node = await seedNode(db);
    const task = await seedRunningTask(db, node);
    const log = writer.log(task.id);
    // Output that trickles in: 600 flushes of 4 lines, a few ms apart, as apt's progress does.
    for (let i = 0; i < 600; i++) {
      for (let k = 0; k < 4; k++) log.write(k === 3 ? 'err' : 'out', `line ${i * 4 + k + 1}${k === 0 ? ' \u00e9\t"quoted"' : ''}`);
      await writer.flush();
      if (i % 50 === 0) await sleep(3);
    }
    expect((await chunks(task.id)).length).toBe(600);
    const before = await reader.read(task.id, 1, 10_000);
    expect(before).toHaveLength(2400);

    await log.complete({ exitstatus: 'OK', isError: false });

    const after = await chunks(task.id);
    expect(after.length).toBeLessThanOrEqual(4); // 2,401 lines in chunks of at most 1,000
    expect(after.every((c) => c.line_count <= 1000)).toBe(true);
    expect(after.map((c) => c.first_n)).toEqual(after.map((_, i) => (i === 0 ? 1 : after[i - 1].first_n + after[i - 1].line_count)));
    const read = await reader.read(task.id, 1, 10_000);
    expect(read.slice(0, 2400)).toEqual(before);
    expect(read[2400]).toMatchObject({ n: 2401, t: 'TASK OK', stream: 'sys' });
    expect(await reader.count(task.id)).toBe(2401);
    // A page in the middle reads the same lines from the merged chunks.
    expect(await reader.read(task.id, 999, 3)).toEqual(before.slice(998, 1001));
  });

  it('ends the task and frees its node lease in the statement with its last lines', async () => {
    const node = await seedNode(db);
    const task = await seedRunningTask(db, node);
    const log = writer.log(task.id);
    log.write('out', 'E: Could not get lock /var/lib/apt/lists/lock');
    await log.complete({ exitstatus: "command 'apt-get update' failed: exit code 100", isError: true, errorClass: 'permanent' });

    expect(await taskRow(task.id)).toEqual({
      status: 'stopped',
      exitstatus: "command 'apt-get update' failed: exit code 100",
      is_error: true,
      error_class: 'permanent',
      log_lines: 2,
    });
    expect((await reader.read(task.id, 1, 10)).map((l) => l.t)).toEqual([
      'E: Could not get lock /var/lib/apt/lists/lock',
      "TASK ERROR: command 'apt-get update' failed: exit code 100",
    ]);
    const lease = await sql<{ lease_task_id: string | null }>`SELECT lease_task_id FROM node WHERE id = ${node.id}`.execute(db);
    expect(lease.rows[0].lease_task_id).toBeNull();
  });

  it('batches many tasks of one flush, each log whole and in order', async () => {
    const node = await seedNode(db);
    const tasks = await Promise.all(Array.from({ length: 20 }, () => seedRunningTask(db, node, { mutating: false, type: 'facts' })));
    const logs = tasks.map((t) => writer.log(t.id));
    for (let i = 1; i <= 50; i++)
      logs.forEach((log, k) => {
        log.write('out', `task ${k} line ${i}`);
      });
    await Promise.all(logs.map((log) => log.complete({ exitstatus: 'OK', isError: false })));
    for (const [k, t] of tasks.entries()) {
      const lines = await reader.read(t.id, 1, 100);
      expect(lines.map((l) => l.t)).toEqual([...Array.from({ length: 50 }, (_, i) => `task ${k} line ${i + 1}`), 'TASK OK']);
      expect((await taskRow(t.id)).status).toBe('stopped');
    }
  });
});
