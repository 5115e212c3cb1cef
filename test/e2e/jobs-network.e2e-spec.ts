import { errorBody } from '@pvefleet/contracts';
import type { NodeFacts } from '@pvefleet/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { TestFleet } from '../support/fleet';
import { Stack } from '../support/stack';
import { eventually, startTask, taskLog, waitForStatus } from '../support/tasks';

/**
 * netconfig's confirmed apply against the simulator: the node arms its own rollback (a
 * `systemd-run --on-active` timer; the simulator runs 120 s as 2.4 s), pvefleet writes the file,
 * runs `ifreload -a`, reconnects and confirms. A good change is confirmed and the timer cancelled;
 * a change that removes the management address cannot be confirmed on a new connection, so the
 * node restores itself, the task fails saying so, and the node answers again with its old network.
 * The node's state is read back through the simulator, not through pvefleet.
 */
describe('netconfig: confirmed apply of the host network', () => {
  let stack: Stack;
  let fleet: TestFleet;
  let nodes: string[];
  /** Each node's /etc/network/interfaces before any test changed it. */
  const installed = new Map<string, string>();

  beforeAll(async () => {
    [stack, fleet] = await Promise.all([Stack.start(), TestFleet.start({ nodes: 3, sim: { transientTimerScale: 0.02 } })]);
    nodes = await fleet.register(stack);
    for (const n of nodes) {
      installed.set(n, fleet.sim.readFile(n, '/etc/network/interfaces') ?? '');
      expect((await waitForStatus(stack, await startTask(stack, n, 'facts'))).exitstatus).toBe('OK');
    }
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning them
    await Promise.all([stack?.stop(), fleet?.stop()]);
  });

  async function netconfig(node: string, params: object) {
    const task = await waitForStatus(stack, await startTask(stack, node, 'netconfig', params), 'stopped', 60_000);
    const log = (await taskLog(stack, task.upid)).map((l) => l.t);
    return { task, log, ran: log.filter((l) => l.startsWith('# ')).map((l) => l.slice(2)) };
  }

  async function storedFacts(node: string): Promise<NodeFacts> {
    const { data } = await apiClient(stack).GET('/api/v1/nodes/{name}', { params: { path: { name: node } } });
    return data?.facts as NodeFacts;
  }

  const addressOf = async (node: string, iface: string): Promise<string> =>
    (await fleet.sim.exec(node, `ip -br -4 addr show ${iface}`)).stdout.trim().split(/\s+/)[2] ?? '';

  it('adds a VLAN-aware bridge and a VLAN interface: applied, reconnected, confirmed, the timer cancelled', async () => {
    const node = nodes[0];
    const { task, log, ran } = await netconfig(node, {
      bridges: [{ name: 'vmbr1', ports: ['eno2'], vlanAware: true, address: '10.10.10.11/24' }],
      vlans: [{ name: 'vmbr0.10', address: '10.20.0.11/24' }],
    });
    expect(task.exitstatus, log.join('\n')).toBe('OK');
    const unit = /--unit=(pvefleet-netrollback-\d+)/.exec(ran.join('\n'))?.[1];
    expect(unit).toBeDefined();
    expect(ran.filter((c) => !c.startsWith('cat > '))).toEqual([
      expect.stringMatching(/^mkdir -p \/var\/lib\/pvefleet\/backup\/netconfig-\d+ && cp -a \/etc\/network\/interfaces /) as string,
      expect.stringMatching(/^systemd-run --on-active=120 --unit=pvefleet-netrollback-\d+ sh -c /) as string,
      'ifreload -a',
      `systemctl is-active ${unit ?? ''}.timer; echo @@pvefleet-links; ip -j addr`,
      `systemctl stop ${unit ?? ''}.timer`,
      expect.stringMatching(/^rm -rf \/var\/lib\/pvefleet\/backup\/netconfig-\d+$/) as string,
    ]);
    expect(log).toContain('opening a new connection to the node (waiting up to 60 s for it to answer)');
    // Confirmed: the timer is gone and the file is the new one (had it fired, the old file would be back).
    expect(fleet.sim.timers(node)).toEqual([]);
    const file = fleet.sim.readFile(node, '/etc/network/interfaces') ?? '';
    expect(file).toContain('auto vmbr1\niface vmbr1 inet static\n\taddress 10.10.10.11/24\n\tbridge-ports eno2\n');
    expect(file).toContain('\tbridge-vlan-aware yes\n\tbridge-vids 2-4094\n');
    expect(await addressOf(node, 'vmbr1')).toBe('10.10.10.11/24');
    expect(await addressOf(node, 'vmbr0.10')).toBe('10.20.0.11/24');
    // The facts pvefleet read after the task show it.
    const facts = await storedFacts(node);
    expect(facts.network?.interfaces.find((i) => i.name === 'vmbr1')).toMatchObject({
      kind: 'bridge',
      addresses: ['10.10.10.11/24'],
      bridge: { ports: ['eno2'], vlanAware: true, vids: '2-4094' },
    });
    expect(facts.network?.interfaces.find((i) => i.name === 'vmbr0.10')).toMatchObject({
      kind: 'vlan',
      vlan: { rawDevice: 'vmbr0', id: 10 },
    });
    // The same spec again: nothing to change, nothing runs.
    const again = await netconfig(node, {
      bridges: [{ name: 'vmbr1', ports: ['eno2'], vlanAware: true, address: '10.10.10.11/24' }],
      vlans: [{ name: 'vmbr0.10', address: '10.20.0.11/24' }],
    });
    expect(again.task.exitstatus).toBe('OK');
    expect(again.ran).toEqual([]);
    expect(again.log).toContain('the network is as declared: nothing to change');
  });

  it('a change that removes the management address is rolled back by the node itself, and the task says so', async () => {
    const node = nodes[1];
    const ip = fleet.sim.node(node).ip;
    const { task, log } = await netconfig(node, { bridges: [{ name: 'vmbr0', ports: ['eno1'], address: '10.0.250.250/16' }] });
    expect(task.exitstatus, log.join('\n')).toMatch(
      /network change rolled back by the node: its timer pvefleet-netrollback-\d+\.timer restored/,
    );
    expect(task.exitstatus).toMatch(
      /^the new network could not be confirmed: the node's rollback timer \S+ had fired \(inactive\) before pvefleet reached the node on a new connection; /,
    );
    // The node restored its file and its address by itself, and answers pvefleet again.
    expect(fleet.sim.readFile(node, '/etc/network/interfaces')).toBe(installed.get(node));
    expect(fleet.sim.timers(node)).toEqual([]);
    expect(fleet.sim.network(node).reachable).toBe(true);
    expect(await addressOf(node, 'vmbr0')).toBe(`${ip}/16`);
    expect((await waitForStatus(stack, await startTask(stack, node, 'facts'))).exitstatus).toBe('OK');
    expect((await storedFacts(node)).network?.interfaces.find((i) => i.name === 'vmbr0')?.addresses).toEqual([`${ip}/16`]);
  });

  it('refuses a port the node does not have, naming the field, and runs nothing', async () => {
    const res = await stack.http.post(`/nodes/${nodes[2]}/tasks`, {
      type: 'netconfig',
      params: { bridges: [{ name: 'vmbr1', ports: ['eno7'] }] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(errorBody.parse(res.body).errors).toEqual([
      { field: 'params.bridges.0.ports.0', message: expect.stringMatching(/^eno7 is not an interface on the node/) as string },
    ]);
    expect(fleet.sim.readFile(nodes[2], '/etc/network/interfaces')).toBe(installed.get(nodes[2]));
  });
  it('as a desired-state field: drift always shown, report by default (nothing runs), enforced through a confirmed netconfig', async () => {
    const node = nodes[2];
    const value = {
      bonds: [{ name: 'bond0', slaves: ['eno2'], mode: 'active-backup' as const }],
      bridges: [{ name: 'vmbr1', ports: ['bond0'], vlanAware: true, vids: '10 20' }],
    };
    const override = async (mode?: 'enforce') => {
      const put = await apiClient(stack).PUT('/api/v1/nodes/{name}/override', {
        params: { path: { name: node } },
        body: { fields: { network: { value, ...(mode ? { mode } : {}) } } },
      });
      expect(put.response.status, JSON.stringify(put.error)).toBe(200);
    };
    const networkDrift = async () => {
      const { data } = await apiClient(stack).GET('/api/v1/nodes/{name}/drift', { params: { path: { name: node } } });
      return data?.fields.find((f) => f.field === 'network');
    };
    const reconcile = async () => {
      const { data, response, error } = await apiClient(stack).POST('/api/v1/reconcile', {
        body: { selector: { nodes: [node] }, fields: ['network'] },
      });
      expect(response.status, JSON.stringify(error)).toBe(202);
      return data!;
    };

    await override();
    const drift = await eventually(async () => {
      const f = await networkDrift();
      return f?.status === 'drift' ? f : undefined;
    });
    expect(drift).toMatchObject({
      mode: 'report',
      reason: 'add bond bond0: active-backup over eno2; add bridge vmbr1: ports bond0, vlan-aware (vids 10 20)',
      fix: [{ type: 'netconfig' }],
    });
    const report = await reconcile();
    expect(report.tasks).toEqual([]);
    expect(report.skipped).toContainEqual({ node, field: 'network', reason: expect.stringMatching(/^report mode/) as string });
    expect(fleet.sim.readFile(node, '/etc/network/interfaces')).toBe(installed.get(node));

    await override('enforce');
    const run = await reconcile();
    expect(run.tasks.map((t) => [t.type, t.field])).toEqual([['netconfig', 'network']]);
    const task = await waitForStatus(stack, run.tasks[0].upid ?? '', 'stopped', 60_000);
    expect(task.exitstatus).toBe('OK');
    expect(fleet.sim.timers(node)).toEqual([]);
    expect((await fleet.sim.exec(node, 'ip link show eno2')).stdout).toContain('master bond0');
    expect(fleet.sim.readFile(node, '/etc/network/interfaces')).toContain(
      'auto bond0\niface bond0 inet manual\n\tbond-slaves eno2\n\tbond-miimon 100\n\tbond-mode active-backup\n',
    );
    await eventually(async () => ((await networkDrift())?.status === 'compliant' ? true : undefined));
    expect((await reconcile()).tasks).toEqual([]);
  });
});
