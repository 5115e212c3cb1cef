import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../simulator';
import { startTestSim, waitFor } from '../testing/sim-harness';
import { connect } from 'node:net';
import { sshConnect, sshExec, sshRun } from '../testing/ssh-client';

const BRIDGE_ON = (ip: string, port: string): string =>
  `auto lo\niface lo inet loopback\n\niface eno1 inet manual\n\nauto vmbr0\niface vmbr0 inet static\n\taddress ${ip}/16\n\tgateway 10.0.0.1\n\tbridge-ports ${port}\n\tbridge-stp off\n\tbridge-fd 0\n\nsource /etc/network/interfaces.d/*\n`;

/** Whether the node's SSH port accepts a TCP connection (a cut-off node refuses it). */
function reachable(sim: Simulator, node: string): Promise<boolean> {
  const { host, port } = sim.info(node);
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

describe('network: /etc/network/interfaces, ifreload -a, ip, systemd-run timers', () => {
  let sim: Simulator;
  afterEach(() => sim.stop());

  it('a fresh node has vmbr0 on eno1 with its address; ip -br and ip -j report it', async () => {
    sim = await startTestSim();
    const ip = sim.node('pve1').ip;
    expect(sim.readFile('pve1', '/etc/network/interfaces')).toBe(BRIDGE_ON(ip, 'eno1'));
    expect((await sim.exec('pve1', 'ip -br addr')).stdout).toBe(
      `lo               UNKNOWN        127.0.0.1/8 \neno1             UP             \neno2             DOWN           \nvmbr0            UP             ${ip}/16 \n`,
    );
    const links = JSON.parse((await sim.exec('pve1', 'ip -j addr show vmbr0')).stdout) as {
      ifname: string;
      operstate: string;
      addr_info: { local: string; prefixlen: number }[];
    }[];
    expect(links).toMatchObject([{ ifname: 'vmbr0', operstate: 'UP', addr_info: [{ local: ip, prefixlen: 16 }] }]);
    expect((await sim.exec('pve1', 'ip addr show eno1')).stdout).toMatch(
      /^2: eno1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq master vmbr0 state UP /,
    );
    expect(await sim.exec('pve1', 'ip addr show eno9')).toMatchObject({ code: 1, stderr: 'Device "eno9" does not exist.\n' });
  });

  it('ifreload -a applies bonds, VLANs and a second bridge from interfaces.d; an edit counts only once applied', async () => {
    sim = await startTestSim();
    sim.writeFile(
      'pve1',
      '/etc/network/interfaces.d/storage',
      'auto bond0\niface bond0 inet manual\n\tbond-slaves eno2\n\tbond-mode active-backup\n\nauto vmbr1\niface vmbr1 inet static\n\taddress 10.10.10.2/24\n\tbridge-ports bond0\n\tbridge-vlan-aware yes\n\nauto vmbr1.50\niface vmbr1.50 inet static\n\taddress 10.50.0.2/24\n',
    );
    expect((await sim.exec('pve1', 'ip -br addr show vmbr1')).code).toBe(1);
    expect(await sim.exec('pve1', 'ifreload -a')).toEqual({ stdout: '', stderr: '', code: 0 });
    const brief = (await sim.exec('pve1', 'ip -br -4 addr')).stdout;
    expect(brief).toContain('vmbr1            UP             10.10.10.2/24 \n');
    expect(brief).toContain('vmbr1.50@vmbr1   UP             10.50.0.2/24 \n');
    expect(brief).toContain('bond0            UP             \n');
    expect((await sim.exec('pve1', 'ip link show eno2')).stdout).toContain(
      '<BROADCAST,MULTICAST,SLAVE,UP,LOWER_UP> mtu 1500 qdisc mq master bond0 state UP',
    );
    sim.writeFile(
      'pve1',
      '/etc/network/interfaces.d/storage',
      'auto vmbr1\niface vmbr1 inet static\n\taddress 10.10.10.300/24\n\tbridge-ports eno7\n',
    );
    expect(await sim.exec('pve1', 'ifreload -a')).toMatchObject({
      code: 1,
      stderr: 'warning: vmbr1: bridge port eno7 does not exist\nerror: vmbr1: invalid address 10.10.10.300/24\n',
    });
    expect((await sim.exec('pve1', 'ip -br addr show vmbr1')).stdout).toBe('vmbr1            DOWN           \n');
    expect(sim.network('pve1').reachable).toBe(true);
  });

  it('a bridge whose port does not exist cuts the node off; restoring the file and ifreload -a brings it back', async () => {
    sim = await startTestSim();
    const ip = sim.node('pve1').ip;
    const good = BRIDGE_ON(ip, 'eno1');
    sim.writeFile('pve1', '/etc/network/interfaces', BRIDGE_ON(ip, 'eno9'));
    expect((await sim.exec('pve1', 'ifreload -a')).stderr).toBe('warning: vmbr0: bridge port eno9 does not exist\n');
    await waitFor(async () => !(await reachable(sim, 'pve1')));
    expect(sim.network('pve1').reachable).toBe(false);
    expect(await reachable(sim, 'pve2')).toBe(true);
    // The way back: the file as it was, applied (here through the control API's direct exec).
    sim.writeFile('pve1', '/etc/network/interfaces', good);
    expect((await sim.exec('pve1', 'ifreload -a')).code).toBe(0);
    await waitFor(() => reachable(sim, 'pve1'));
    expect((await sshRun(sim.info('pve1'), 'ip -br addr show vmbr0')).stdout).toBe(`vmbr0            UP             ${ip}/16 \n`);
  });

  it('takes no new SSH connection once the management address is gone, while the old one still reports the exit status', async () => {
    sim = await startTestSim({ shutdownDelayMs: 1000 });
    const ip = sim.node('pve1').ip;
    const client = await sshConnect(sim.info('pve1'));
    await sshExec(client, `cat > /etc/network/interfaces <<'EOF'\n${BRIDGE_ON(ip, 'eno9')}EOF`);
    expect((await sshExec(client, 'ifreload -a')).code).toBe(0);
    // The listener lingers for the delay (TCP still connects), but a new session is reset at once.
    await expect(sshRun(sim.info('pve1'), 'true')).rejects.toThrow();
    client.end();
  });

  it('a cut-off node stays cut off through a reboot and accept-connections; a boot with good files brings it back', async () => {
    sim = await startTestSim();
    const ip = sim.node('pve1').ip;
    sim.writeFile('pve1', '/etc/network/interfaces', BRIDGE_ON(ip, 'eno9'));
    await sim.exec('pve1', 'ifreload -a');
    await waitFor(async () => !(await reachable(sim, 'pve1')));
    await sim.acceptConnections('pve1');
    sim.setOffline('pve1');
    await sim.setOnline('pve1');
    expect(sim.node('pve1').power).toBe('online');
    expect(await reachable(sim, 'pve1')).toBe(false);
    // Fixed by hand (the console), applied by the next boot.
    sim.writeFile('pve1', '/etc/network/interfaces', BRIDGE_ON(ip, 'eno1'));
    expect(await reachable(sim, 'pve1')).toBe(false);
    sim.setOffline('pve1');
    await sim.setOnline('pve1');
    await waitFor(() => reachable(sim, 'pve1'));
    expect((await sshRun(sim.info('pve1'), 'ip -br addr show vmbr0')).stdout).toBe(`vmbr0            UP             ${ip}/16 \n`);
  });

  it('a NIC set down through the control API takes its bridge and the management address with it', async () => {
    sim = await startTestSim();
    sim.setInterfaceDown('pve1', 'eno1', true);
    expect((await sim.exec('pve1', 'ip -br link show vmbr0')).stdout).toMatch(/^vmbr0 +DOWN +\S+ <NO-CARRIER,BROADCAST,MULTICAST,UP> \n$/);
    await waitFor(async () => !(await reachable(sim, 'pve1')));
    sim.setInterfaceDown('pve1', 'eno1', false);
    await waitFor(() => reachable(sim, 'pve1'));
    // Any other interface named down fails at the next ifreload.
    sim.setInterfaceDown('pve1', 'vmbr0', true);
    expect((await sim.exec('pve1', 'ifreload -a')).stderr).toContain("error: vmbr0: cmd '/bin/ip link set dev vmbr0 up' failed");
    expect(sim.network('pve1').reachable).toBe(false);
  });

  it('systemd-run --on-active arms a timer that fires (restoring the files) unless systemctl stop cancels it', async () => {
    sim = await startTestSim({ transientTimerScale: 0.001 });
    const ip = sim.node('pve1').ip;
    const arm =
      'cp /etc/network/interfaces /root/interfaces.bak && systemd-run --on-active=120 --unit pvefleet-rollback sh -c "cp /root/interfaces.bak /etc/network/interfaces && ifreload -a"';
    expect(await sim.exec('pve1', arm)).toEqual({
      stdout: '',
      stderr: 'Running timer as unit: pvefleet-rollback.timer\nWill run service as unit: pvefleet-rollback.service\n',
      code: 0,
    });
    expect((await sim.exec('pve1', 'systemctl is-active pvefleet-rollback.timer')).stdout).toBe('active\n');
    expect(sim.timers('pve1')).toMatchObject([{ unit: 'pvefleet-rollback.timer' }]);
    sim.writeFile('pve1', '/etc/network/interfaces', BRIDGE_ON(ip, 'eno9'));
    await sim.exec('pve1', 'ifreload -a');
    await waitFor(async () => !(await reachable(sim, 'pve1')));
    // 120 s × 0.001: the node restores itself.
    await waitFor(() => reachable(sim, 'pve1'), 3000);
    expect(sim.readFile('pve1', '/etc/network/interfaces')).toBe(BRIDGE_ON(ip, 'eno1'));
    expect(sim.timers('pve1')).toEqual([]);

    expect((await sim.exec('pve1', 'systemd-run --on-active=60 --unit confirm touch /root/fired')).code).toBe(0);
    expect(await sim.exec('pve1', 'systemd-run --on-active=120 --unit confirm true')).toMatchObject({
      code: 1,
      stderr: 'Failed to start transient timer unit: Unit confirm.timer was already loaded or has a fragment file.\n',
    });
    expect((await sim.exec('pve1', 'systemctl stop confirm.timer')).code).toBe(0);
    // A later timer that fires proves the cancelled one's time has passed.
    expect((await sim.exec('pve1', 'systemd-run --on-active=200 touch /root/later')).code).toBe(0);
    await waitFor(() => sim.readFile('pve1', '/root/later') !== undefined);
    expect(sim.readFile('pve1', '/root/fired')).toBeUndefined();
    expect(await sim.exec('pve1', 'systemctl stop confirm.timer')).toMatchObject({
      code: 5,
      stderr: 'Failed to stop confirm.timer: Unit confirm.timer not loaded.\n',
    });
  });
});
