import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { encodeLogMeta } from '../../libs/tasks/src/log/task-log-codec';
import { TestFleet } from '../support/fleet';
import { Stack } from '../support/stack';
import { startTask, taskLog, waitForLogLines, waitForStatus } from '../support/tasks';
import { stopAll } from '../support/teardown';

/**
 * A task never ends `TASK OK` with lines missing from its log, and one task whose lines Postgres
 * refuses costs no other task a line.
 */
describe('task logs under refused writes', () => {
  let stack: Stack;
  let fleet: TestFleet;
  const db = new pg.Client({ connectionString: inject('databaseUrl') });

  beforeAll(async () => {
    [stack, fleet] = await Promise.all([Stack.start(), TestFleet.start({ standalone: 2 }), db.connect()]);
    await fleet.register(stack);
  });
  afterAll(async () => {
    await db.end();
    await stopAll(stack, fleet);
  });

  it('ends a task whose lines cannot be stored in error with the count, and leaves other tasks whole', async () => {
    const [victim, bystander] = fleet.names;
    for (const node of fleet.names) fleet.sim.addCommandFault(node, { match: 'seq 1 3000', action: { kind: 'slow', lineDelayMs: 2 } });
    const seq = { argv: ['seq', '1', '3000'], readOnly: true };
    const [hurt, whole] = [await startTask(stack, victim, 'exec', seq), await startTask(stack, bystander, 'exec', seq)];
    await waitForLogLines(stack, hurt, 20);
    // Rows already at the line numbers this task will write next, as a takeover's lines would be:
    // Postgres refuses the task's next chunks for good.
    const { rows } = await db.query<{ id: string }>('SELECT id::text FROM task WHERE upid = $1', [hurt]);
    await db.query(
      `INSERT INTO task_log_chunk (task_id, first_n, line_count, text, meta)
       SELECT $1, n, 1, 'intruder', $2
         FROM generate_series((SELECT max(first_n + line_count) + 50 FROM task_log_chunk WHERE task_id = $1), 4000) AS n
       ON CONFLICT DO NOTHING`,
      [rows[0].id, encodeLogMeta([{ stream: 'sys', ts: Date.now() }])],
    );

    const [a, b] = await Promise.all([waitForStatus(stack, hurt, 'stopped', 60_000), waitForStatus(stack, whole, 'stopped', 60_000)]);
    expect(a.exitstatus).toMatch(/^log incomplete: \d+ lines could not be stored \(the commands ended OK\)$/);
    expect(b.exitstatus).toBe('OK');
    const log = await taskLog(stack, whole);
    expect(log.map((l) => l.n)).toEqual(log.map((_, i) => i + 1));
    expect(log.filter((l) => /^\d+$/.test(l.t)).map((l) => Number(l.t))).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    expect(log.at(-1)?.t).toBe('TASK OK');
  });
});
