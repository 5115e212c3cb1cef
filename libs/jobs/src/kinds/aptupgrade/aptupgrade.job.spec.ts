import { describe, expect, it } from 'vitest';
import { parseOrThrow } from '../../spec-error';
import { specErrorOf } from '../../spec-error.spec-helper';
import { planView } from '../../job-kind';
import { aptUpgradeJob, type AptUpgradeSpec } from './aptupgrade.job';
import { pveFacts, walkPlan } from './fixtures.spec-helper';
import { DIST_UPGRADE, DOWNLOAD_ONLY, KERNEL_LIST, LIST_UPGRADABLE } from './upgrade-plan';

const spec = (params: object = {}): AptUpgradeSpec => parseOrThrow(aptUpgradeJob.spec, params, 'params');

const PENDING = `Listing...
pve-manager/stable 8.4.16 all [upgradable from: 8.4.11]
proxmox-kernel-6.8/stable 6.8.12-18 all [upgradable from: 6.8.12-13]
linux-libc-dev/oldstable-security 6.1.164-1 amd64 [upgradable from: 6.1.162-1]
`;
const KERNELS_BEFORE = 'Manually selected kernels:\nNone.\n\nAutomatically selected kernels:\n6.8.12-11-pve\n6.8.12-13-pve\n';
const KERNELS_AFTER = 'Manually selected kernels:\nNone.\n\nAutomatically selected kernels:\n6.8.12-13-pve\n6.8.12-18-pve\n';

/** A node with a new kernel pending: the upgrade installs 6.8.12-18. */
const upgradeRun = {
  [LIST_UPGRADABLE]: [PENDING, 'Listing...\n'],
  'uname -r': ['6.8.12-13-pve', '6.8.12-18-pve'],
  [KERNEL_LIST]: KERNELS_AFTER,
};
const upToDateRun = { [LIST_UPGRADABLE]: 'Listing...\n', 'uname -r': '6.8.12-18-pve', [KERNEL_LIST]: KERNELS_AFTER };

describe('aptupgrade spec', () => {
  it('defaults: install, never reboot, 600 s reboot wait, refuse to reboot with running guests', () => {
    expect(spec()).toEqual({
      downloadOnly: false,
      reboot: 'never',
      rebootTimeoutSeconds: 600,
      guests: 'refuse',
      shutdownTimeoutSeconds: 180,
      migrateWaitSeconds: 1800,
    });
  });

  it.each([
    [{ reboot: 'sometimes' }, 'params.reboot'],
    [{ reboot: 'always; reboot' }, 'params.reboot'],
    [{ downloadOnly: 'yes' }, 'params.downloadOnly'],
    [{ rebootTimeoutSeconds: 0 }, 'params.rebootTimeoutSeconds'],
    [{ rebootTimeoutSeconds: 1.5 }, 'params.rebootTimeoutSeconds'],
    [{ rebootTimeoutSeconds: 86_400 }, 'params.rebootTimeoutSeconds'],
    [{ rebootTimeoutSeconds: '600' }, 'params.rebootTimeoutSeconds'],
    [{ downloadOnly: true, reboot: 'always' }, 'params.reboot'],
    [{ packages: ['pve-manager'] }, 'params.packages'],
    [{ guests: 'stop' }, 'params.guests'],
    [{ guests: 'migrate', targets: ['pve2;reboot'] }, 'params.targets.0'],
    [{ guests: 'shutdown', targets: ['pve2'] }, 'params.targets'],
    [{ shutdownTimeoutSeconds: 0 }, 'params.shutdownTimeoutSeconds'],
  ])('rejects %j naming %s', (params, field) => {
    expect(specErrorOf(() => spec(params)).errors.map((e) => e.field)).toContain(field);
  });
});

describe('aptupgrade plan', () => {
  it('runs the exact apt forms of the notes and shows every decision as a condition', () => {
    const view = planView(aptUpgradeJob.plan(spec({ reboot: 'if-required' }), pveFacts()));
    expect(view.steps.map((s) => [s.command, s.onlyIf ?? ''])).toEqual([
      ['apt-get update', ''],
      ['LC_ALL=C apt list --upgradable', ''],
      ['uname -r', ''],
      [
        'DEBIAN_FRONTEND=noninteractive apt-get -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold dist-upgrade',
        'apt list --upgradable lists packages (otherwise the node is up to date)',
      ],
      ['LC_ALL=C apt list --upgradable', 'apt list --upgradable lists packages (otherwise the node is up to date)'],
      ['proxmox-boot-tool kernel list', ''],
      ['qm list && pct list', expect.stringContaining('the kernel the next boot runs (pinned, else the newest installed) differs')],
      ['reboot', expect.stringContaining('the kernel the next boot runs (pinned, else the newest installed) differs')],
      ['uname -r', expect.stringContaining('differs from the running one')],
    ]);
    expect(view.steps[7].reboots).toBe(true);
    expect(view.steps[6].verifies).toBe(true);
    expect(view.steps[4].verifies).toBe(true);
    expect(view.notes.join('\n')).toContain("reboot policy 'if-required'");
    expect(view.notes.join('\n')).toContain("guests 'refuse': running guests are listed (qm list, pct list) right before the reboot");
  });

  it('if-required: upgrades, then reboots into the newest kernel and records it', () => {
    const plan = aptUpgradeJob.plan(spec({ reboot: 'if-required', rebootTimeoutSeconds: 120 }), pveFacts());
    const walk = walkPlan(plan, upgradeRun);
    expect(walk.failure).toBeUndefined();
    expect(walk.ran).toContain(DIST_UPGRADE);
    expect(walk.ran).toContain('reboot');
    const reboot = plan.steps.find((s) => s.reboot)!;
    expect(reboot.reboot!.waitTimeoutMs).toBe(120_000);
    expect(reboot.reboot!.expectKernel!(walk.outputs)).toBe('6.8.12-18-pve');
    const outcome = aptUpgradeJob.finish!(spec({ reboot: 'if-required' }), walk.outputs, { facts: pveFacts(), now: 0 });
    expect(outcome.warnings).toEqual([]);
    expect(outcome.result).toMatchObject({
      upToDate: false,
      upgradedCount: 3,
      rebootRequired: true,
      rebooted: true,
      kernelBefore: '6.8.12-13-pve',
      kernelAfter: '6.8.12-18-pve',
      nextBootKernel: '6.8.12-18-pve',
    });
    expect((outcome.result!.upgradable as unknown[])[0]).toEqual({
      name: 'pve-manager',
      suite: 'stable',
      from: '8.4.11',
      to: '8.4.16',
      arch: 'all',
    });
  });

  it('if-required on an up-to-date node: no dist-upgrade, no reboot, says up to date', () => {
    const walk = walkPlan(aptUpgradeJob.plan(spec({ reboot: 'if-required' }), pveFacts()), upToDateRun);
    expect(walk.ran).not.toContain(DIST_UPGRADE);
    expect(walk.ran).not.toContain('reboot');
    expect(walk.skipped).toEqual([DIST_UPGRADE, LIST_UPGRADABLE, 'qm list && pct list', 'reboot', 'uname -r']);
    const outcome = aptUpgradeJob.finish!(spec({ reboot: 'if-required' }), walk.outputs, { facts: null, now: 0 });
    expect(outcome.result).toMatchObject({ upToDate: true, rebooted: false, rebootRequired: false, summary: 'the node is up to date' });
  });

  it('if-required respects a pinned kernel: a newer kernel installed is no reason to reboot', () => {
    const pinned = `${KERNELS_AFTER}\nPinned kernel:\n6.8.12-13-pve\n`;
    const walk = walkPlan(aptUpgradeJob.plan(spec({ reboot: 'if-required' }), pveFacts()), { ...upgradeRun, [KERNEL_LIST]: pinned });
    expect(walk.ran).toContain(DIST_UPGRADE);
    expect(walk.ran).not.toContain('reboot');
    expect(aptUpgradeJob.finish!(spec({ reboot: 'if-required' }), walk.outputs, { facts: null, now: 0 }).result).toMatchObject({
      rebootRequired: false,
      pinnedKernel: '6.8.12-13-pve',
      nextBootKernel: '6.8.12-13-pve',
    });
  });

  it('if-required decides on version order, not the text order the tool prints', () => {
    const list = 'Manually selected kernels:\nNone.\n\nAutomatically selected kernels:\n6.11.11-2-pve\n6.14.8-2-pve\n6.5.13-6-pve\n';
    const walk = walkPlan(aptUpgradeJob.plan(spec({ reboot: 'if-required' }), pveFacts()), {
      ...upToDateRun,
      'uname -r': '6.14.8-2-pve',
      [KERNEL_LIST]: list,
    });
    expect(walk.ran).not.toContain('reboot');
  });

  it('never: no reboot step; the result says a reboot is required, with a warning', () => {
    const plan = aptUpgradeJob.plan(spec({ reboot: 'never' }), pveFacts());
    expect(plan.steps.some((s) => s.reboot)).toBe(false);
    const walk = walkPlan(plan, upgradeRun);
    const outcome = aptUpgradeJob.finish!(spec(), walk.outputs, { facts: null, now: 0 });
    expect(outcome.result).toMatchObject({
      rebootRequired: true,
      rebooted: false,
      kernelAfter: '6.8.12-13-pve',
      summary: 'upgraded 3 packages, a reboot is required',
    });
    expect(outcome.warnings).toEqual([
      "a reboot is required: the next boot runs kernel 6.8.12-18-pve, the node runs 6.8.12-13-pve (reboot policy 'never')",
    ]);
  });

  it('always: reboots even when nothing was upgraded, expecting the next boot kernel', () => {
    const plan = aptUpgradeJob.plan(spec({ reboot: 'always' }), pveFacts());
    const walk = walkPlan(plan, upToDateRun);
    expect(walk.ran).toContain('reboot');
    expect(plan.steps.find((s) => s.reboot)!.reboot!.expectKernel!(walk.outputs)).toBe('6.8.12-18-pve');
    expect(aptUpgradeJob.finish!(spec({ reboot: 'always' }), walk.outputs, { facts: null, now: 0 }).result).toMatchObject({
      rebooted: true,
    });
  });

  it('download only: apt-get -y --download-only dist-upgrade, no verify of the list, never a reboot', () => {
    const plan = aptUpgradeJob.plan(spec({ downloadOnly: true, reboot: 'if-required' }), pveFacts());
    expect(plan.steps.map((s) => s.command)).toEqual(['apt-get update', LIST_UPGRADABLE, 'uname -r', DOWNLOAD_ONLY, KERNEL_LIST]);
    const walk = walkPlan(plan, { ...upgradeRun, [KERNEL_LIST]: KERNELS_BEFORE });
    expect(aptUpgradeJob.finish!(spec({ downloadOnly: true }), walk.outputs, { facts: null, now: 0 }).result).toMatchObject({
      downloadOnly: true,
      upgradedCount: 0,
      rebooted: false,
      rebootRequired: false,
      summary: 'downloaded 3 package upgrades, installed nothing',
    });
  });

  it('fails naming what is still pending after dist-upgrade', () => {
    const held = 'Listing...\npve-manager/stable 8.4.16 all [upgradable from: 8.4.11]\n';
    const walk = walkPlan(aptUpgradeJob.plan(spec(), pveFacts()), { ...upgradeRun, [LIST_UPGRADABLE]: [PENDING, held] });
    expect(walk.failure).toBe('still upgradable after dist-upgrade: pve-manager 8.4.11 → 8.4.16');
  });

  it('plans the same on PVE 9, with notes from the facts', () => {
    const facts = pveFacts({
      pveMajor: 9,
      upgradable: [],
      kernels: {
        running: '6.17.2-1-pve',
        installed: ['6.17.2-1-pve'],
        pinned: '6.17.2-1-pve',
        next: '6.17.2-1-pve',
        rebootRequired: false,
      },
    });
    const plan = aptUpgradeJob.plan(spec({ reboot: 'if-required' }), facts);
    expect(plan.steps.map((s) => s.command)).toEqual(
      aptUpgradeJob.plan(spec({ reboot: 'if-required' }), pveFacts()).steps.map((s) => s.command),
    );
    expect(plan.notes).toContain("nothing was upgradable at the node's last package index refresh; apt-get update runs first and decides");
    expect(plan.notes).toContain('kernel 6.17.2-1-pve is pinned: the next boot runs it, whatever else is installed');
  });

  it('a plain Debian host: no proxmox-boot-tool, so if-required is refused, always reboots without a kernel check', () => {
    const debian = pveFacts({ pveversion: null, pveManagerVersion: null, pveMajor: null });
    expect(() => aptUpgradeJob.plan(spec({ reboot: 'if-required' }), debian)).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ field: 'params.reboot' })] }),
    );
    const plan = aptUpgradeJob.plan(spec({ reboot: 'always' }), debian);
    expect(plan.steps.map((s) => s.command)).not.toContain(KERNEL_LIST);
    expect(plan.steps.find((s) => s.reboot)!.reboot!.expectKernel!({})).toBeUndefined();
  });
});
