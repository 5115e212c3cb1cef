import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestFleet } from '../support/fleet';
import { readLogStream } from '../support/sse';
import { Stack } from '../support/stack';
import { getTask, startTask, taskLog, waitForStatus } from '../support/tasks';
import { stopAll } from '../support/teardown';

const GRACE_S = 3;

/**
 * SIGTERM, as `docker compose stop` or systemd sends it: a worker starts nothing new, lets running
 * tasks finish within its grace period, then stops the rest (read-only ones handed back to the
 * queue, mutating ones ended with their commands stopped) and exits 0. The API ends its event
 * streams so it can exit 0 at once; clients resume elsewhere with Last-Event-ID.
 */
describe('SIGTERM', () => {
  let stack: Stack;
  let fleet: TestFleet;

  beforeAll(async () => {
    [stack, fleet] = await Promise.all([
      Stack.start({ env: { PVEFLEET_WORKER_STOP_GRACE_S: String(GRACE_S) } }),
      TestFleet.start({ standalone: 2 }),
    ]);
    await fleet.register(stack);
  });
  afterAll(async () => {
    await stopAll(stack, fleet);
  });

  it('a worker lets running tasks finish in the grace period, hands the rest back, starts nothing new, and exits 0', async () => {
    const [a, b] = fleet.names;
    fleet.sim.addCommandFault(b, { match: { regex: '^sleep 300$' }, action: { kind: 'hang' } });
    const quick = await startTask(stack, a, 'exec', { argv: ['sleep', '1'] });
    const reader = await startTask(stack, b, 'exec', { argv: ['sleep', '300'], readOnly: true });
    const writer = await startTask(stack, b, 'exec', { argv: ['sleep', '300'] });
    await Promise.all([quick, reader, writer].map((u) => waitForStatus(stack, u, 'running')));

    const exit = stack.terminateWorker(0);
    await new Promise((r) => setTimeout(r, 300));
    const later = await startTask(stack, a, 'exec', { argv: ['echo', 'after the signal'], readOnly: true });
    expect(await exit).toBe(0);

    expect((await getTask(stack, quick)).exitstatus).toBe('OK');
    const w = await getTask(stack, writer);
    expect(w.status).toBe('stopped');
    expect(w.exitstatus).toBe('received interrupt');
    expect((await taskLog(stack, writer)).map((l) => l.t)).toContain('cancelled by the worker stopping (grace period over)');
    // Nothing started after the signal; the read-only task waits in the queue again.
    expect((await getTask(stack, later)).status).toBe('queued');
    expect((await getTask(stack, reader)).status).toBe('queued');
    expect((await taskLog(stack, reader)).some((l) => l.t.includes('handed back to the queue'))).toBe(true);

    // Another worker picks both up; the reader's log goes on after its first run's lines.
    fleet.sim.clearFaults(b);
    fleet.sim.addCommandFault(b, { match: { regex: '^sleep 300$' }, action: { kind: 'fail', exitCode: 0 } });
    stack.startWorker();
    expect((await waitForStatus(stack, later, 'stopped', 30_000)).exitstatus).toBe('OK');
    expect((await waitForStatus(stack, reader, 'stopped', 30_000)).exitstatus).toBe('OK');
    const log = await taskLog(stack, reader);
    expect(log.map((l) => l.n)).toEqual(log.map((_, i) => i + 1));
    expect(log.filter((l) => l.t.startsWith('TASK '))).toEqual([expect.objectContaining({ t: 'TASK OK' })]);
  });

  it('the API ends its event streams and exits 0', async () => {
    const [a] = fleet.names;
    fleet.sim.addCommandFault(a, { match: { regex: '^sleep 301$' }, action: { kind: 'hang' } });
    const upid = await startTask(stack, a, 'exec', { argv: ['sleep', '301'], readOnly: true });
    await waitForStatus(stack, upid, 'running', 30_000);
    let opened!: () => void;
    const open = new Promise<void>((r) => (opened = r));
    const streamed = readLogStream(stack, upid, opened);
    await open;
    expect(await stack.terminateApi()).toBe(0);
    const events = await streamed;
    expect(events.some((e) => e.comment?.includes('reconnect with Last-Event-ID'))).toBe(true);
    await stack.restartApi();
    expect((await stack.http.delete(`/tasks/${encodeURIComponent(upid)}`)).status).toBe(202);
  });
});
