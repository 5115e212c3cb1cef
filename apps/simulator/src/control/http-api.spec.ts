import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, Simulator } from '../index';

describe('HTTP control API', () => {
  let sim: Simulator;
  const logged: string[] = [];
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    const res = await fetch(`${sim.controlUrl}${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    return { status: res.status, json: await res.json() };
  };
  beforeAll(async () => {
    sim = await startSimulator({
      seed: 3,
      clusters: [{ name: 'lab', nodes: 3, namePrefix: 'pve' }],
      haDelayMs: 5,
      log: (line) => logged.push(line),
    });
  });
  afterAll(() => sim.stop());

  it('lists nodes and reads state', async () => {
    expect(sim.controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const nodes = (await call('GET', '/nodes')).json as { name: string; hostKeyFingerprint: string }[];
    expect(nodes.map((n) => n.name)).toEqual(['pve1', 'pve2', 'pve3']);
    const state = (await call('GET', '/nodes/pve1')).json as { runningKernel: string; guests: unknown[] };
    expect(state.runningKernel).toBe('6.8.12-13-pve');
    expect((await call('GET', '/nodes/nope')).status).toBe(404);
    expect((await call('GET', '/nope')).status).toBe(404);
  });

  it('sets and clears command faults and node faults', async () => {
    const { json } = await call('POST', '/nodes/pve1/faults', {
      match: { regex: '^pveversion' },
      action: { kind: 'fail', exitCode: 42, stderr: 'nope' },
    });
    const id = (json as { id: string }).id;
    expect((await call('POST', '/nodes/pve1/exec', { command: 'pveversion' })).json).toEqual({ stdout: '', stderr: 'nope\n', code: 42 });
    await call('DELETE', `/nodes/pve1/faults/${id}`);
    expect(((await call('POST', '/nodes/pve1/exec', { command: 'pveversion' })).json as { code: number }).code).toBe(0);
    await call('POST', '/nodes/pve1/unsync-clock');
    expect(
      ((await call('POST', '/nodes/pve1/exec', { command: 'timedatectl show -p NTPSynchronized --value' })).json as { stdout: string })
        .stdout,
    ).toBe('no\n');
    await call('DELETE', '/nodes/pve1/faults');
    expect(sim.state('pve1').time.synced).toBe(true);
    const rotated = (await call('POST', '/nodes/pve2/rotate-host-key')).json as { hostKeyFingerprint: string };
    expect(sim.info('pve2').hostKeyFingerprint).toBe(rotated.hostKeyFingerprint);
    await call('POST', '/clusters/lab/break-quorum');
    expect((await call('GET', '/clusters/lab')).json).toMatchObject({ quorumBroken: true, quorate: false });
    await call('POST', '/clusters/lab/restore-quorum');
    await call('POST', '/guests/100/fail-migration', { reason: 'boom' });
    expect(
      ((await call('GET', '/clusters/lab')).json as { guests: { vmid: number; migrationFailure?: string }[] }).guests.find(
        (g) => g.vmid === 100,
      )?.migrationFailure,
    ).toBe('boom');
    await call('POST', '/nodes/pve3/offline');
    expect(sim.state('pve3').power).toBe('down');
    await call('POST', '/nodes/pve3/online');
    expect(sim.state('pve3').power).toBe('online');
    expect((await call('POST', '/nodes/pve1/reboot-behaviour', { mode: 'refuse' })).status).toBe(200);
    expect((await call('POST', '/nodes/pve1/age-certificate', { days: 70 })).status).toBe(200);
    expect(sim.state('pve1').certificates.pveproxy?.daysLeft).toBeLessThan(0);
    expect((await call('POST', '/nodes/pve1/pve8to9', { failures: ['x'] })).status).toBe(200);
    expect((await call('GET', '/nodes/pve1/file?path=/etc/hostname')).json).toEqual({ path: '/etc/hostname', content: 'pve1\n' });
  });

  it('logs where it listens and every request that changes something, never a read', async () => {
    expect(logged).toContain(`control API on ${sim.controlUrl} (faults, power, state: see apps/simulator/README.md)`);
    expect(logged.filter((l) => / \(lab\) listening on 127\.0\.0\.1:\d+, host key SHA256:/.test(l))).toHaveLength(3);
    const before = logged.length;
    await call('GET', '/nodes/pve1');
    await call('POST', '/nodes/pve1/faults', { match: 'apt-get update', action: { kind: 'hang' }, times: 1 });
    await call('POST', '/nodes/nope/offline');
    expect(logged.slice(before)).toEqual([
      'control: POST /nodes/pve1/faults {"match":"apt-get update","action":{"kind":"hang"},"times":1} -> 200',
      'control: POST /nodes/nope/offline -> 404 {"error":"no such node: nope"}',
    ]);
  });
});
