import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestFleet } from '../support/fleet';
import { OwnPostgres } from '../support/own-postgres';
import { errorBodyOf } from '../support/api-client';
import { readLogStream, streamedLine } from '../support/sse';
import { Stack } from '../support/stack';
import { eventually, startTask, taskLog, waitForLogLines, waitForStatus } from '../support/tasks';
import { stopAll } from '../support/teardown';

const LEASE_MS = 3_000;
const OUTAGE_MS = 8_000;

/**
 * Postgres stops for longer than the task lease while a mutating task streams its log and a second
 * mutating task waits for the same node: no line is lost or doubled, the two commands never overlap
 * on the node (the node's own record says so), a live SSE reader catches up and ends, and the API
 * answers 503 with a reason meanwhile. The stack gets a Postgres of its own, so stopping it touches
 * no other test.
 */
describe('a Postgres outage longer than the task lease', () => {
  let pg: OwnPostgres;
  let spoolDir: string;
  let stack: Stack;
  let fleet: TestFleet;

  beforeAll(async () => {
    pg = await OwnPostgres.start('outage');
    spoolDir = join(pg.dir, 'log-spool');
    const databaseUrl = pg.databaseUrl;
    [stack, fleet] = await Promise.all([
      Stack.start({ env: { DATABASE_URL: databaseUrl, PVEFLEET_TASK_LEASE_MS: String(LEASE_MS), PVEFLEET_LOG_SPOOL_DIR: spoolDir } }),
      TestFleet.start({ standalone: 1 }),
    ]);
    await fleet.register(stack);
  });
  afterAll(async () => {
    await stopAll(stack, fleet);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when OwnPostgres.start failed in beforeAll
    await pg?.remove();
  });

  it('loses no line, never overlaps two mutating commands, and keeps streams alive', async () => {
    const [node] = fleet.names;
    const lines = 12_000;
    // Anchored: the fence wraps the command in `flock … bash -c`, whose own command line contains it too.
    fleet.sim.addCommandFault(node, { match: { regex: `^seq 1 ${lines}$` }, action: { kind: 'slow', lineDelayMs: 1 } });
    const first = await startTask(stack, node, 'exec', { argv: ['seq', '1', String(lines)] });
    const second = await startTask(stack, node, 'exec', { argv: ['echo', 'second'] });
    await waitForLogLines(stack, first, 100);
    let following!: () => void;
    const followed = new Promise<void>((resolve) => (following = resolve));
    const streamed = readLogStream(stack, first, following);
    await followed;

    await pg.stop();
    const during = await stack.http.get('/tasks?limit=1');
    expect(during.status).toBe(503);
    expect(errorBodyOf(during).message).toMatch(/database is unavailable/);
    expect(during.headers['retry-after']).toBe('5');
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await pg.startAgain();

    const [a, b] = await Promise.all([waitForStatus(stack, first, 'stopped', 120_000), waitForStatus(stack, second, 'stopped', 120_000)]);
    expect([a.exitstatus, b.exitstatus]).toEqual(['OK', 'OK']);

    // Every line once, numbered without a gap, and the output complete.
    const log = await taskLog(stack, first);
    expect(log.map((l) => l.n)).toEqual(log.map((_, i) => i + 1));
    expect(log.filter((l) => /^\d+$/.test(l.t)).map((l) => Number(l.t))).toEqual(Array.from({ length: lines }, (_, i) => i + 1));

    // The reader that was following during the outage saw the same lines, then the end.
    const events = await streamed;
    expect(events.filter((e) => !e.event && !e.comment).map((e) => streamedLine(e).n)).toEqual(log.map((l) => l.n));
    expect(events.at(-1)?.event).toBe('end');
    // A reader reconnecting with Last-Event-ID gets only what follows that line.
    const resumed = await readLogStream(stack, first, undefined, 5_000);
    expect(resumed.filter((e) => !e.event && !e.comment).map((e) => streamedLine(e).n)).toEqual(log.slice(5_000).map((l) => l.n));

    // From the node's own record: the second command ran only after the first ended.
    const holds = fleet.sim
      .node(node)
      .locks.history.filter((h) => h.command.includes(`seq 1 ${lines}`) || h.command.includes('echo second'));
    expect(holds).toHaveLength(2);
    expect(holds[1].since).toBeGreaterThanOrEqual(holds[0].until!);
  });

  it('spools the lines of a burst to disk while Postgres is away, and writes them all back', async () => {
    const [node] = fleet.names;
    const lines = 60_000;
    // The burst starts only once Postgres is down (the test lets it go): on a loaded machine a fixed
    // sleep could end before the stop, and the lines would all land in Postgres first.
    const go = '/run/pvefleet-test-burst-go';
    const upid = await startTask(stack, node, 'exec', {
      argv: ['sh', '-c', `until test -e ${go}; do sleep 0.1; done; seq 1 ${lines}`],
      readOnly: true,
    });
    // Its command line in the log: the worker has what it needs from Postgres and the command runs.
    await waitForLogLines(stack, upid, 1);
    await pg.stop();
    fleet.sim.writeFile(node, go, '');
    // The burst is more than the writer keeps in memory: it goes to the spool instead of stalling.
    await eventually(
      () => Promise.resolve(existsSync(spoolDir) && readdirSync(spoolDir).length > 0 ? true : undefined),
      20_000,
      'a spool file',
    );
    await pg.startAgain();
    expect((await waitForStatus(stack, upid, 'stopped', 60_000)).exitstatus).toBe('OK');
    const log = await taskLog(stack, upid);
    expect(log.map((l) => l.n)).toEqual(log.map((_, i) => i + 1));
    expect(log.filter((l) => /^\d+$/.test(l.t))).toHaveLength(lines);
    expect(readdirSync(spoolDir)).toEqual([]);
  });
});
