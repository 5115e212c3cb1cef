import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TestFleet, clientKey } from '../support/fleet';
import { Stack } from '../support/stack';
import { startTask, uniqueName, waitForStatus } from '../support/tasks';

const CONNECT_TIMEOUT_MS = 2_000;

/**
 * The SSH faults the other suites do not cover, each ending with a clear error within its timeout
 * and nothing run: a connection reset before the banner, a port that accepts and never says a word,
 * and a node that rejects every login.
 */
describe('SSH faults end clearly', () => {
  let stack: Stack;
  let fleet: TestFleet;
  let silent: Server;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    silent = createServer((s) => sockets.push(s)); // accepts, then says nothing
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    [stack, fleet] = await Promise.all([
      Stack.start({ env: { PVEFLEET_SSH_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS) } }),
      TestFleet.start({ standalone: 2 }),
    ]);
    await fleet.register(stack);
  });
  afterEach(() => {
    for (const n of fleet.names) fleet.sim.clearFaults(n);
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning them
    silent?.close();
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning them
    await Promise.all([stack?.stop(), fleet?.stop()]);
  });

  it('a connection reset before the SSH banner', async () => {
    const node = fleet.names[0];
    const execs = fleet.sim.counters(node).execs;
    fleet.sim.refuseConnections(node, 'reset');
    const task = await waitForStatus(stack, await startTask(stack, node, 'aptupdate'), 'stopped', 20_000);
    expect(task.exitstatus).toMatch(/^cannot connect to root@127\.0\.0\.1:\d+: /);
    expect(fleet.sim.counters(node).execs).toBe(execs);
  });

  it('a port that accepts and never sends a banner, within the connect timeout', async () => {
    const name = uniqueName();
    const port = (silent.address() as { port: number }).port;
    const res = await stack.http.post('/nodes', {
      name,
      host: '127.0.0.1',
      port,
      credential: { type: 'key', privateKey: clientKey().privateKey },
    });
    expect(res.status).toBe(201);
    const task = await waitForStatus(stack, await startTask(stack, name, 'aptupdate'), 'stopped', 20_000);
    expect(task.exitstatus).toMatch(new RegExp(`^cannot connect to root@127\\.0\\.0\\.1:${port}: `));
    expect(Date.parse(task.endedAt!) - Date.parse(task.startedAt!)).toBeLessThan(CONNECT_TIMEOUT_MS + 5_000);
  });

  it('a node that rejects every login', async () => {
    const node = fleet.names[1];
    const execs = fleet.sim.counters(node).execs;
    fleet.sim.rejectAuth(node);
    const task = await waitForStatus(stack, await startTask(stack, node, 'aptupdate'), 'stopped', 20_000);
    expect(task.exitstatus).toMatch(/authentication/i);
    expect(fleet.sim.counters(node).execs).toBe(execs);
  });
});
