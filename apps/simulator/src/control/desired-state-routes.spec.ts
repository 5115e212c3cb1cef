import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, Simulator } from '../index';

/** The control routes a desired-state e2e test drives: SMART, interfaces, timers, out-of-band files. */
describe('HTTP control API: desired-state operations', () => {
  let sim: Simulator;
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    const res = await fetch(`${sim.controlUrl}${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    return { status: res.status, json: await res.json() };
  };
  beforeAll(async () => {
    sim = await startSimulator({ seed: 5, clusters: [{ name: 'lab', nodes: 2, namePrefix: 'pve' }], transientTimerScale: 0.001 });
  });
  afterAll(() => sim.stop());

  it('sets a disk failing or disabled and shows it in the node state', async () => {
    expect((await call('POST', '/nodes/pve1/disks/sdc/smart', { state: 'failing' })).status).toBe(200);
    expect((await call('POST', '/nodes/pve1/disks/sdd/smart', { state: 'disabled' })).status).toBe(200);
    expect((await call('POST', '/nodes/pve1/disks/nvme0n1/smart', { state: 'disabled' })).status).toBe(400);
    expect((await call('POST', '/nodes/pve1/disks/sdz/smart', { state: 'failing' })).status).toBe(404);
    expect((await call('POST', '/nodes/pve1/disks/sdb/smart', { state: 'broken' })).status).toBe(400);
    const state = (await call('GET', '/nodes/pve1')).json as { disks: { name: string; smart: string }[] };
    expect(state.disks.map((d) => [d.name, d.smart])).toEqual([
      ['sda', 'healthy'],
      ['sdb', 'healthy'],
      ['sdc', 'failing'],
      ['sdd', 'disabled'],
      ['nvme0n1', 'healthy'],
    ]);
    expect((await sim.exec('pve1', 'smartctl -H /dev/sdc')).code).toBe(8);
  });

  it('takes an interface down and up; the node reports its reachability', async () => {
    expect((await call('POST', '/nodes/pve2/interfaces/eno1/down')).status).toBe(200);
    expect(((await call('GET', '/nodes/pve2/network')).json as { reachable: boolean }).reachable).toBe(false);
    expect((await call('POST', '/nodes/pve2/interfaces/eno1/up')).status).toBe(200);
    const state = (await call('GET', '/nodes/pve2')).json as { network: { reachable: boolean; interfacesDown: string[] } };
    expect(state.network).toEqual({ reachable: true, interfacesDown: [] });
  });

  it('writes and deletes a file out of band, and lists armed timers', async () => {
    const path = '/etc/chrony/sources.d/by-hand.sources';
    expect((await call('PUT', '/nodes/pve1/file', { path, content: 'server 192.0.2.9 iburst\n' })).status).toBe(200);
    expect((await sim.exec('pve1', `cat ${path}`)).stdout).toBe('server 192.0.2.9 iburst\n');
    expect((await call('DELETE', `/nodes/pve1/file?path=${encodeURIComponent(path)}`)).json).toEqual({ removed: true });
    expect(sim.readFile('pve1', path)).toBeUndefined();
    await sim.exec('pve1', 'systemd-run --on-active=3600 --unit rollback true');
    expect((await call('GET', '/nodes/pve1/timers')).json).toMatchObject([{ unit: 'rollback.timer', argv: ['true'] }]);
  });
});
