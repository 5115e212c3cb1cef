import { describe, expect, it } from 'vitest';
import { parseOrThrow } from '../../spec-error';
import { planView } from '../../job-kind';
import { aptUpgradeJob, type AptUpgradeSpec } from './aptupgrade.job';
import { pveFacts, walkPlan } from './fixtures.spec-helper';
import { KERNEL_LIST, LIST_UPGRADABLE } from './upgrade-plan';
import { GUEST_RESOURCES, NODE_RESOURCES } from '../placement/cluster-resources';

const spec = (params: object): AptUpgradeSpec => parseOrThrow(aptUpgradeJob.spec, { reboot: 'always', ...params }, 'params');
const LISTS = 'qm list && pct list';
const qm = (rows: [number, string][]) =>
  `      VMID NAME                 STATUS     MEM(MB)    BOOTDISK(GB) PID       \n${rows.map(([id, st]) => `${String(id).padStart(10)} vm-${id}               ${st.padEnd(10)} 2048              32.00 0         `).join('\n')}\n`;
const pct = (rows: [number, string][]) =>
  `VMID       Status     Lock         Name                \n${rows.map(([id, st]) => `${String(id).padEnd(10)} ${st.padEnd(10)}              ct-${id}              `).join('\n')}\n`;
const KERNELS = 'Manually selected kernels:\nNone.\n\nAutomatically selected kernels:\n6.8.12-13-pve\n';
const base = { [LIST_UPGRADABLE]: 'Listing...\n', 'uname -r': '6.8.12-13-pve', [KERNEL_LIST]: KERNELS };
const noHa = () => pveFacts({ ha: null, hostname: 'pve1' });

describe('aptupgrade: guests running at the reboot', () => {
  it('refuse (the default): lists the guests right before the reboot and fails naming them, without rebooting', () => {
    const walk = walkPlan(aptUpgradeJob.plan(spec({}), noHa()), {
      ...base,
      [LISTS]:
        qm([
          [100, 'running'],
          [101, 'stopped'],
        ]) + pct([[102, 'running']]),
    });
    expect(walk.ran).not.toContain('reboot');
    expect(walk.failure).toBe(
      "not rebooted: guests run on this node: VM 100 (running), CT 102 (running) (params.guests is 'refuse'); the upgrade itself was done, the reboot is still pending",
    );
  });

  it('refuse with no guest running: reboots', () => {
    const walk = walkPlan(aptUpgradeJob.plan(spec({}), noHa()), { ...base, [LISTS]: qm([[101, 'stopped']]) });
    expect(walk.failure).toBeUndefined();
    expect(walk.ran).toContain('reboot');
  });

  it('ignore: lists them and reboots anyway, recording which ran', () => {
    const plan = aptUpgradeJob.plan(spec({ guests: 'ignore' }), noHa());
    const walk = walkPlan(plan, { ...base, [LISTS]: qm([[100, 'running']]) });
    expect(walk.failure).toBeUndefined();
    expect(walk.ran).toContain('reboot');
    expect(aptUpgradeJob.finish!(spec({ guests: 'ignore' }), walk.outputs, { facts: null, now: 0 }).result!.guests).toEqual({
      policy: 'ignore',
      runningAtReboot: [{ vmid: 100, type: 'qemu', name: 'vm-100' }],
    });
  });

  it('shutdown: shuts down each running guest with the timeout, and after the reboot starts only those again', () => {
    const s = spec({ guests: 'shutdown', shutdownTimeoutSeconds: 90 });
    const before =
      qm([
        [100, 'running'],
        [101, 'stopped'],
      ]) + pct([[102, 'running']]);
    const allDown =
      qm([
        [100, 'stopped'],
        [101, 'stopped'],
      ]) + pct([[102, 'stopped']]);
    // onboot started CT 102 again by itself: only VM 100 is left to start.
    const afterBoot =
      qm([
        [100, 'stopped'],
        [101, 'stopped'],
      ]) + pct([[102, 'running']]);
    const walk = walkPlan(aptUpgradeJob.plan(s, noHa()), { ...base, [LISTS]: [before, allDown, afterBoot] });
    expect(walk.failure).toBeUndefined();
    const shutdown = 'qm shutdown 100 --timeout 90 && pct shutdown 102 --timeout 90';
    expect(walk.ran.slice(walk.ran.indexOf(shutdown) - 1)).toEqual([LISTS, shutdown, LISTS, 'reboot', 'uname -r', LISTS, 'qm start 100']);
    expect(aptUpgradeJob.finish!(s, walk.outputs, { facts: null, now: 0 }).result!.guests).toMatchObject({
      shutDown: [{ vmid: 100 }, { vmid: 102 }],
      startedAgain: [{ vmid: 100, type: 'qemu', name: 'vm-100' }],
    });
  });

  it('shutdown: a guest that is still running after its shutdown keeps the node up', () => {
    const running = qm([[100, 'running']]);
    const walk = walkPlan(aptUpgradeJob.plan(spec({ guests: 'shutdown' }), noHa()), { ...base, [LISTS]: running });
    expect(walk.ran).not.toContain('reboot');
    expect(walk.failure).toMatch(/^not rebooted: guests run on this node: VM 100 \(running\) \(they did not shut down\)/);
  });

  it('migrate: HA maintenance, evacuation placed on fresh resources, reboot, maintenance left again', () => {
    const s = spec({ guests: 'migrate' });
    const ha = { quorumOk: true, masterNode: 'pve2', lrmState: 'active', maintenance: false, services: [] };
    const plan = aptUpgradeJob.plan(s, pveFacts({ hostname: 'pve1', ha }));
    const commands = plan.steps.map((st) => st.command);
    expect(commands).toContain('ha-manager crm-command node-maintenance enable pve1');
    expect(commands).toContain('ha-manager crm-command node-maintenance disable pve1');
    expect(commands.indexOf(GUEST_RESOURCES)).toBeLessThan(commands.indexOf('reboot'));
    expect(commands.indexOf('ha-manager crm-command node-maintenance disable pve1')).toBeGreaterThan(commands.indexOf('reboot'));
    expect(planView(plan).notes.join('\n')).toContain("guests 'migrate': HA maintenance mode for pve1 first");

    const walk = walkPlan(aptUpgradeJob.plan(s, noHa()), {
      ...base,
      hostname: 'pve1',
      [NODE_RESOURCES]:
        '[{"maxmem":34359738368,"mem":8589934592,"node":"pve1","status":"online","type":"node"},{"maxmem":34359738368,"mem":4294967296,"node":"pve2","status":"online","type":"node"},{"maxmem":34359738368,"mem":2147483648,"node":"pve3","status":"online","type":"node"}]',
      [GUEST_RESOURCES]:
        '[{"maxmem":2147483648,"node":"pve1","status":"running","type":"qemu","vmid":100},{"maxmem":536870912,"node":"pve1","status":"running","type":"lxc","vmid":101}]',
    });
    expect(walk.failure).toBeUndefined();
    expect(walk.ran).toContain('qm migrate 100 pve3 --online && pct migrate 101 pve2 --restart');
    expect(walk.ran).toContain('reboot');
  });

  it('migrate: no room anywhere fails before the reboot with the numbers', () => {
    const walk = walkPlan(aptUpgradeJob.plan(spec({ guests: 'migrate', targets: ['pve2'] }), noHa()), {
      ...base,
      hostname: 'pve1',
      [NODE_RESOURCES]:
        '[{"maxmem":34359738368,"mem":8589934592,"node":"pve1","status":"online","type":"node"},{"maxmem":34359738368,"mem":33285996544,"node":"pve2","status":"online","type":"node"}]',
      [GUEST_RESOURCES]: '[{"maxmem":2147483648,"node":"pve1","status":"running","type":"qemu","vmid":100}]',
    });
    expect(walk.ran).not.toContain('reboot');
    expect(walk.failure).toBe(
      'no node has room for VM 100: it needs 2048 MiB, the node with the most free memory, pve2, has 1024 MiB free (of pve2); the node was not rebooted; the upgrade itself was done, the reboot is still pending',
    );
  });

  it('never and download-only plans have no guest steps', () => {
    expect(aptUpgradeJob.plan(spec({ reboot: 'never', guests: 'shutdown' }), noHa()).steps.map((s) => s.command)).not.toContain(LISTS);
  });
});
