import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedis, type RunningService } from '../../scripts/lib/services.mjs';
import { TestFleet } from '../support/fleet';
import { Stack } from '../support/stack';
import { eventually, startTask, waitForStatus } from '../support/tasks';
import { stopAll } from '../support/teardown';

/**
 * Redis restarted under a running stack (with a Redis of its own): work goes on afterwards, and
 * each process says in one line each that its connection was lost and is back, with no stack trace.
 */
describe('a Redis restart', () => {
  let redis: RunningService;
  let port: number;
  let stack: Stack;
  let fleet: TestFleet;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis({ port });
    [stack, fleet] = await Promise.all([Stack.start({ env: { REDIS_URL: redis.url } }), TestFleet.start({ standalone: 1 })]);
    await fleet.register(stack);
  });
  afterAll(async () => {
    await stopAll(stack, fleet);
    await stopAll(redis);
  });

  it('logs the outage in a line each way, no stack trace, and runs tasks again afterwards', async () => {
    await redis.stop();
    await eventually(() => Promise.resolve(/connection lost/.test(stack.output()) ? true : undefined), 10_000, 'the outage to be logged');
    const during = await startTask(stack, fleet.names[0], 'exec', { argv: ['echo', 'during'], readOnly: true });
    redis = await startRedis({ port });
    expect((await waitForStatus(stack, during, 'stopped', 30_000)).exitstatus).toBe('OK');
    await eventually(
      () => Promise.resolve(/connection back after/.test(stack.output()) ? true : undefined),
      10_000,
      'the recovery to be logged',
    );
    const output = stack.output();
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).not.toMatch(/Unhandled error event/);
    expect(
      (await waitForStatus(stack, await startTask(stack, fleet.names[0], 'exec', { argv: ['echo', 'after'], readOnly: true }))).exitstatus,
    ).toBe('OK');
  });
});
