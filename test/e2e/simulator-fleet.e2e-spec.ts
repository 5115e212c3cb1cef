import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NodeFacts } from '@pvefleet/jobs';
import { apiClient } from '../support/api-client';
import { Stack } from '../support/stack';
import { TestFleet } from '../support/fleet';
import { startTask, taskLog, waitForStatus } from '../support/tasks';

// Faults must end tasks clearly and never hang past the command timeout.
const COMMAND_TIMEOUT_MS = 2_000;

describe('pvefleet against the simulated fleet', () => {
  let stack: Stack;
  let fleet: TestFleet;
  let nodes: string[];

  beforeAll(async () => {
    [stack, fleet] = await Promise.all([
      Stack.start({ env: { PVEFLEET_SSH_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS), PVEFLEET_SSH_IDLE_MS: '0' } }),
      TestFleet.start({ nodes: 3 }),
    ]);
    nodes = await fleet.register(stack);
  });
  afterEach(() => {
    for (const n of nodes) fleet.sim.clearFaults(n);
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning them
    await Promise.all([stack?.stop(), fleet?.stop()]);
  });

  it('runs facts on every node and stores what the nodes report', async () => {
    const upids = await Promise.all(nodes.map((n) => startTask(stack, n, 'facts')));
    const tasks = await Promise.all(upids.map((u) => waitForStatus(stack, u)));
    expect(tasks.map((t) => t.exitstatus)).toEqual(nodes.map(() => 'OK'));
    for (const name of nodes) {
      const { data } = await apiClient(stack).GET('/api/v1/nodes/{name}', { params: { path: { name } } });
      if (!data?.facts) throw new Error(`no facts for ${name}`);
      const facts = data.facts as NodeFacts;
      const state = fleet.sim.state(name);
      expect(facts.hostname).toBe(name);
      expect(facts.kernel).toBe(state.runningKernel);
      expect(facts.pveManagerVersion).toBe(state.pveVersion);
      expect(facts.os.codename).toBe('bookworm');
    }
  });

  it('runs aptupdate and the node sees apt-get update', async () => {
    const before = fleet.sim.counters(nodes[0]).commands['apt-get'] ?? 0;
    const task = await waitForStatus(stack, await startTask(stack, nodes[0], 'aptupdate'));
    expect(task.exitstatus).toBe('OK');
    expect(fleet.sim.counters(nodes[0]).commands['apt-get']).toBe(before + 1);
    expect((await taskLog(stack, task.upid)).map((l) => l.t)).toContain('Reading package lists...');
  });

  it('a command that fails with an exit code and stderr', async () => {
    fleet.sim.addCommandFault(nodes[0], {
      match: 'apt-get update',
      action: {
        kind: 'fail',
        exitCode: 100,
        stderr: 'E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4711 (apt-get)\n',
      },
    });
    const task = await waitForStatus(stack, await startTask(stack, nodes[0], 'aptupdate'));
    expect(task.exitstatus).toBe("command 'apt-get update' failed: exit code 100");
    expect((await taskLog(stack, task.upid)).map((l) => l.t)).toContain(
      'E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4711 (apt-get)',
    );
  });

  it('a command that hangs is stopped at the command timeout', async () => {
    fleet.sim.addCommandFault(nodes[1], { match: 'apt-get update', action: { kind: 'hang' } });
    const upid = await startTask(stack, nodes[1], 'aptupdate');
    const running = await waitForStatus(stack, upid, 'running');
    const task = await waitForStatus(stack, upid, 'stopped', COMMAND_TIMEOUT_MS + 10_000);
    expect(task.exitstatus).toBe("command 'apt-get update' failed: got timeout");
    expect(Date.parse(task.endedAt!) - Date.parse(running.startedAt!)).toBeLessThan(COMMAND_TIMEOUT_MS + 5_000);
    expect(fleet.sim.counters(nodes[1]).signals).toBeGreaterThan(0);
  });

  it('a slow command streams its lines as they come', async () => {
    fleet.sim.addCommandFault(nodes[2], { match: 'apt-get update', action: { kind: 'slow', lineDelayMs: 150 } });
    const task = await waitForStatus(stack, await startTask(stack, nodes[2], 'aptupdate'));
    expect(task.exitstatus).toBe('OK');
    const { data: page } = await apiClient(stack).GET('/api/v1/tasks/{upid}/log', {
      params: { path: { upid: task.upid }, query: { limit: 100 } },
    });
    if (!page) throw new Error(`no log for ${task.upid}`);
    const hits = page.data.filter((l) => l.t.startsWith('Hit:'));
    expect(hits.length).toBeGreaterThanOrEqual(3);
    expect(hits.at(-1)!.ts - hits[0].ts).toBeGreaterThanOrEqual(250);
  });

  it('a connection dropped halfway fails the task with connection lost', async () => {
    fleet.sim.addCommandFault(nodes[0], { match: 'apt-get update', action: { kind: 'drop' } });
    const task = await waitForStatus(stack, await startTask(stack, nodes[0], 'aptupdate'));
    expect(task.exitstatus).toBe("command 'apt-get update' failed: connection lost");
  });

  it('a node that refuses connections, and one taken offline and back', async () => {
    fleet.sim.refuseConnections(nodes[1]);
    const refused = await waitForStatus(stack, await startTask(stack, nodes[1], 'facts'));
    expect(refused.exitstatus).toMatch(/^cannot connect to root@127\.0\.0\.1:\d+: connection refused$/);
    fleet.sim.clearFaults(nodes[1]);

    fleet.sim.setOffline(nodes[2]);
    const offline = await waitForStatus(stack, await startTask(stack, nodes[2], 'facts'));
    expect(offline.exitstatus).toMatch(/^cannot connect to root@127\.0\.0\.1:\d+: /);
    await fleet.sim.setOnline(nodes[2]);
    expect((await waitForStatus(stack, await startTask(stack, nodes[2], 'facts'))).exitstatus).toBe('OK');
  });

  it('a changed host key: nothing runs', async () => {
    const execsBefore = fleet.sim.counters(nodes[2]).execs;
    fleet.sim.rotateHostKey(nodes[2]);
    const task = await waitForStatus(stack, await startTask(stack, nodes[2], 'aptupdate'));
    expect(task.exitstatus).toMatch(
      /^host key mismatch for root@127\.0\.0\.1:\d+: expected SHA256:\S+, got SHA256:\S+ - refusing to connect$/,
    );
    expect(fleet.sim.counters(nodes[2]).execs).toBe(execsBefore);
  });

  it('cancels a hanging command on the node', async () => {
    fleet.sim.addCommandFault(nodes[0], { match: 'apt-get update', action: { kind: 'hang' } });
    const upid = await startTask(stack, nodes[0], 'aptupdate');
    await waitForStatus(stack, upid, 'running');
    await new Promise((r) => setTimeout(r, 300));
    await stack.http.delete(`/tasks/${encodeURIComponent(upid)}`).expect(202);
    const task = await waitForStatus(stack, upid, 'stopped', 5_000);
    expect(task.exitstatus).toBe('received interrupt');
  });
});
