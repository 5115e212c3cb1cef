import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../simulator';
import { startTestSim } from '../testing/sim-harness';

describe('flock', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startTestSim({ clusters: [{ name: 'lab', nodes: 1, namePrefix: 'pve' }] });
  });
  afterAll(() => sim.stop());

  it('runs the command under the lock and passes its exit code on', async () => {
    expect(await sim.exec('pve1', "flock -o -w 5 -E 75 /run/lock/x.lock bash -c 'echo hi; exit 3'")).toEqual({
      stdout: 'hi\n',
      stderr: '',
      code: 3,
    });
    expect(await sim.exec('pve1', 'flock /run/lock/x.lock -c "echo via -c"')).toMatchObject({ stdout: 'via -c\n', code: 0 });
  });

  it('makes a second holder wait until the first ends, in arrival order', async () => {
    const first = sim.exec('pve1', 'flock /run/lock/y.lock sleep 0.2');
    const second = sim.exec('pve1', 'flock -w 5 /run/lock/y.lock echo second');
    expect((await second).stdout).toBe('second\n');
    await first;
    const [a, b] = sim.node('pve1').locks.history.filter((h) => h.path === '/run/lock/y.lock');
    expect(b.since).toBeGreaterThanOrEqual(a.until!);
  });

  it('gives up with the conflict code when the lock does not come in time', async () => {
    const holder = sim.exec('pve1', 'flock /run/lock/z.lock sleep 0.3');
    await new Promise((r) => setTimeout(r, 50));
    expect(await sim.exec('pve1', 'flock -n -E 75 /run/lock/z.lock echo never')).toMatchObject({ stdout: '', code: 75 });
    expect(await sim.exec('pve1', 'flock -w 0.05 /run/lock/z.lock echo never')).toMatchObject({ stdout: '', code: 1 });
    await holder;
    expect(await sim.exec('pve1', 'flock -n /run/lock/z.lock echo free')).toMatchObject({ stdout: 'free\n', code: 0 });
  });
});
