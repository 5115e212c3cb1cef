import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'ssh2';
import { startSimulator, Simulator } from '../index';
import { sshConnect, sshExec, sshRun } from '../testing/ssh-client';

describe('SSH transport', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({
      seed: 1,
      clusters: [{ name: 'lab', nodes: 3, namePrefix: 'pve' }],
      rebootDelayMs: 100,
      shutdownDelayMs: 10,
      controlPort: false,
    });
  });
  afterAll(() => sim.stop());

  it('lists nodes with distinct ports and host keys', () => {
    const nodes = sim.nodes();
    expect(nodes.map((n) => n.name)).toEqual(['pve1', 'pve2', 'pve3']);
    expect(new Set(nodes.map((n) => n.port)).size).toBe(3);
    expect(new Set(nodes.map((n) => n.hostKeyFingerprint)).size).toBe(3);
    expect(nodes[0].hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('answers exec requests with output and exit codes', async () => {
    const node = sim.info('pve1');
    expect(await sshRun(node, 'hostname')).toEqual({ stdout: 'pve1\n', stderr: '', code: 0, signal: undefined });
    expect(await sshRun(node, 'nosuch')).toMatchObject({ stderr: 'bash: nosuch: command not found\n', code: 127 });
    expect((await sshRun(node, 'pveversion')).stdout).toBe('pve-manager/8.4.11/14a32011146091ed (running kernel: 6.8.12-13-pve)\n');
  });

  it('rejects a wrong password', async () => {
    await expect(sshConnect(sim.info('pve2'), 'wrong')).rejects.toThrow(/authentication/i);
    expect(sim.counters('pve2').authFailures).toBeGreaterThan(0);
  });

  it('stops a hanging command on a signal request and on channel close', async () => {
    const c = await sshConnect(sim.info('pve1'));
    const result = new Promise((resolve) => {
      c.exec('sleep 30', (_err, stream) => {
        stream.on('exit', (code: number | null, signal?: string) => {
          resolve({ code, signal });
        });
        setTimeout(() => {
          stream.signal('TERM');
        }, 50);
      });
    });
    expect(await result).toEqual({ code: null, signal: 'SIGTERM' });
    c.end();
  });

  it('reboots: drops connections, refuses, comes back with a new boot id', async () => {
    const node = sim.info('pve3');
    const before = sim.state('pve3').bootId;
    const c = await sshConnect(node);
    const closed = new Promise((r) => (c as unknown as NodeJS.EventEmitter).once('close', r));
    expect((await sshExec(c, 'reboot')).code).toBe(0);
    await closed;
    await expect(sshConnect(node)).rejects.toThrow(/ECONNREFUSED/);
    await new Promise((r) => setTimeout(r, 200));
    const after = await sshRun(node, 'cat /proc/sys/kernel/random/boot_id');
    expect(after.stdout.trim()).not.toBe(before);
    expect(sim.counters('pve3').reboots).toBe(1);
  });

  it('applies command faults: fail, drop', async () => {
    const node = sim.info('pve2');
    const id = sim.addCommandFault('pve2', {
      match: 'apt-get update',
      action: { kind: 'fail', exitCode: 100, stderr: 'E: boom' },
      times: 1,
    });
    expect(id).toMatch(/^f\d+$/);
    expect(await sshRun(node, 'apt-get update')).toMatchObject({ code: 100, stderr: 'E: boom\n' });
    expect((await sshRun(node, 'apt-get update')).code).toBe(0);
    sim.addCommandFault('pve2', { match: /^cat /, action: { kind: 'drop' } });
    const c: Client = await sshConnect(node);
    const closed = new Promise((r) => (c as unknown as NodeJS.EventEmitter).once('close', r));
    c.exec('cat /etc/os-release', () => undefined);
    await closed;
    sim.clearCommandFaults('pve2');
  });

  it('streams slowly and hangs until the channel closes, leaving no timers', async () => {
    sim.addCommandFault('pve1', { match: 'cat /etc/hosts', action: { kind: 'slow', lineDelayMs: 20 }, times: 1 });
    const c = await sshConnect(sim.info('pve1'));
    const t0 = Date.now();
    const slow = await sshExec(c, 'cat /etc/hosts');
    expect(slow.stdout.split('\n').length).toBeGreaterThan(5);
    expect(Date.now() - t0).toBeGreaterThan(100);
    sim.addCommandFault('pve1', { match: 'apt-get', action: { kind: 'hang' }, times: 1 });
    const closed = new Promise<void>((resolve) => {
      c.exec('apt-get update', (_err, stream) => {
        stream.resume();
        stream.on('close', () => {
          resolve();
        });
        setTimeout(() => {
          stream.close();
        }, 30);
      });
    });
    await closed;
    c.end();
  });

  it('can listen on per-node loopback addresses sharing one port', async () => {
    const shared = await startSimulator({ seed: 5, sharedPort: 0, clusters: [{ name: 'x', nodes: 2 }], controlPort: false }).catch(
      () => undefined,
    );
    // Port 0 cannot be shared by design; pick the first node's port for the others.
    await shared?.stop();
    const probe = await startSimulator({ seed: 5, clusters: [{ name: 'p', nodes: 1 }], controlPort: false });
    const port = probe.nodes()[0].port;
    await probe.stop();
    const sim2 = await startSimulator({ seed: 5, sharedPort: port, clusters: [{ name: 'y', nodes: 2 }], controlPort: false });
    const nodes = sim2.nodes();
    expect(nodes.map((n) => n.host)).toEqual(['127.1.0.1', '127.1.0.2']);
    expect(nodes.every((n) => n.port === port)).toBe(true);
    expect((await sshRun(nodes[1], 'hostname')).stdout).toBe('y-n2\n');
    await sim2.stop();
  });
});
