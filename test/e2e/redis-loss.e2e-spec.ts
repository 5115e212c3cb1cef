import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TestFleet } from '../support/fleet';
import { Stack } from '../support/stack';
import { startTask, waitForStatus } from '../support/tasks';
import { stopAll } from '../support/teardown';

/**
 * Redis loses the queue (as `FLUSHALL`, or a Redis restarted without its data, would) while tasks
 * wait in it: Postgres still has them, and every one runs exactly once, in order per node. What
 * ran is counted on the nodes themselves.
 */
describe('Redis losing the queue', () => {
  let stack: Stack;
  let fleet: TestFleet;
  const redis = new Redis(inject('redisUrl'), { lazyConnect: true });

  beforeAll(async () => {
    [stack, fleet] = await Promise.all([Stack.start(), TestFleet.start({ standalone: 2 }), redis.connect()]);
    await fleet.register(stack);
  });
  afterAll(async () => {
    redis.disconnect();
    await stopAll(stack, fleet);
  });

  /** Every key of this stack's queue: what FLUSHALL would take from it. */
  async function flushStackKeys(): Promise<number> {
    let deleted = 0;
    for await (const keys of redis.scanStream({ match: `${stack.env.PVEFLEET_REDIS_PREFIX}:*`, count: 1000 })) {
      if ((keys as string[]).length) deleted += await redis.del(...(keys as string[]));
    }
    return deleted;
  }

  it('runs every queued task exactly once after the queue is gone', async () => {
    const blockers: string[] = [];
    for (const node of fleet.names) {
      fleet.sim.addCommandFault(node, { match: { regex: '^sleep 600$' }, action: { kind: 'hang' } });
      blockers.push(await startTask(stack, node, 'exec', { argv: ['sleep', '600'] }));
    }
    await Promise.all(blockers.map((u) => waitForStatus(stack, u, 'running')));
    // Mutating tasks waiting for their node behind the blockers: delayed jobs in Redis.
    const waiting: { node: string; upid: string; word: string }[] = [];
    for (let i = 0; i < 10; i++) {
      for (const node of fleet.names) {
        const word = `job-${node}-${i}`;
        waiting.push({ node, word, upid: await startTask(stack, node, 'exec', { argv: ['echo', word] }) });
      }
    }
    expect(await flushStackKeys()).toBeGreaterThan(0);
    for (const u of blockers) expect((await stack.http.delete(`/tasks/${encodeURIComponent(u)}`)).status).toBe(202);

    const done = await Promise.all(waiting.map((w) => waitForStatus(stack, w.upid, 'stopped', 90_000)));
    expect(done.map((t) => t.exitstatus)).toEqual(waiting.map(() => 'OK'));
    for (const node of fleet.names) {
      const ran = fleet.sim
        .node(node)
        .execHistory.records.map((r) => /echo (job-[^\s']+)/.exec(r.command)?.[1])
        .filter((w): w is string => !!w);
      // Once each, and in the order they were submitted.
      expect(ran).toEqual(waiting.filter((w) => w.node === node).map((w) => w.word));
    }
  });
});
