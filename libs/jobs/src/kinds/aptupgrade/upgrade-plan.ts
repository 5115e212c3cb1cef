import type { NodeFacts } from '../../node-facts';
import type { Plan, PlanStep } from '../../job-kind';
import { SpecError } from '../../spec-error';
import { describeUpgrade, parseUpgradableList } from './upgradable-list';
import { CAPTURE, PACKAGES_PENDING, REBOOT_REQUIRED, nextBootKernel } from './upgrade-decisions';
import type { AptUpgradeSpec } from './aptupgrade.job';
import { guestNote, guestSteps } from './guest-policy';

// The command forms of pve-commands §2.3, exactly: apt-get (a stable CLI), never plain `upgrade`.
export const APT_UPDATE = 'apt-get update';
export const LIST_UPGRADABLE = 'LC_ALL=C apt list --upgradable';
export const DIST_UPGRADE =
  'DEBIAN_FRONTEND=noninteractive apt-get -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold dist-upgrade';
export const DOWNLOAD_ONLY = 'DEBIAN_FRONTEND=noninteractive apt-get -y --download-only dist-upgrade';
export const KERNEL_LIST = 'proxmox-boot-tool kernel list';

const MINUTE = 60_000;

/**
 * apt-get update, what is upgradable, the running kernel; dist-upgrade only when something is;
 * then the kernel the next boot runs decides the reboot (never /var/run/reboot-required: PVE does
 * not write it).
 */
export function planUpgrade(spec: AptUpgradeSpec, facts: NodeFacts | null): Plan {
  const pve = facts?.pveMajor != null;
  if (spec.reboot === 'if-required' && facts && !pve) {
    throw new SpecError([
      {
        field: 'params.reboot',
        message:
          "'if-required' needs proxmox-boot-tool to tell the next boot's kernel, and this node does not run Proxmox VE; use 'never' or 'always'",
      },
    ]);
  }
  const steps: PlanStep[] = [
    { command: APT_UPDATE, description: 'refresh the package index', timeoutMs: 10 * MINUTE },
    { command: LIST_UPGRADABLE, description: 'list the upgradable packages', capture: CAPTURE.upgradable, timeoutMs: 2 * MINUTE },
    { command: 'uname -r', description: 'the running kernel', capture: CAPTURE.runningKernel },
  ];
  if (spec.downloadOnly) {
    steps.push({
      command: DOWNLOAD_ONLY,
      description: 'download every upgrade, install nothing',
      when: PACKAGES_PENDING,
      timeoutMs: 60 * MINUTE,
    });
  } else {
    steps.push(
      {
        command: DIST_UPGRADE,
        description: 'upgrade every package (non-interactive, keep changed config files)',
        when: PACKAGES_PENDING,
        timeoutMs: 60 * MINUTE,
      },
      {
        command: LIST_UPGRADABLE,
        description: 'check that nothing is left to upgrade',
        capture: CAPTURE.remaining,
        when: PACKAGES_PENDING,
        timeoutMs: 2 * MINUTE,
        verify: (out) => {
          const left = parseUpgradableList(out.stdout);
          return left.length ? `still upgradable after dist-upgrade: ${left.map(describeUpgrade).join(', ')}` : undefined;
        },
      },
    );
  }
  if (pve) steps.push({ command: KERNEL_LIST, description: 'the kernels the next boot can run', capture: CAPTURE.kernels });
  if (!spec.downloadOnly && spec.reboot !== 'never') {
    const guests = guestSteps(spec, facts, spec.reboot === 'if-required' ? REBOOT_REQUIRED : undefined);
    steps.push(
      ...guests.before,
      {
        command: 'reboot',
        description: 'reboot into the new kernel',
        ...(spec.reboot === 'if-required' ? { when: REBOOT_REQUIRED } : {}),
        reboot: { expectKernel: (outputs) => nextBootKernel(outputs) ?? undefined, waitTimeoutMs: spec.rebootTimeoutSeconds * 1000 },
      },
      {
        command: 'uname -r',
        description: 'the kernel running after the reboot',
        capture: CAPTURE.kernelAfter,
        ...(spec.reboot === 'if-required' ? { when: REBOOT_REQUIRED } : {}),
      },
      ...guests.after,
    );
  }
  return { steps, notes: planNotes(spec, facts) };
}

/** What the plan decided and why, from the facts read at task start. */
function planNotes(spec: AptUpgradeSpec, facts: NodeFacts | null): string[] {
  const notes: string[] = [];
  const known = facts?.upgradable;
  if (known) {
    notes.push(
      known.length
        ? `${known.length} packages were upgradable at the node's last package index refresh; apt-get update runs first and decides`
        : "nothing was upgradable at the node's last package index refresh; apt-get update runs first and decides",
    );
  }
  if (spec.downloadOnly) {
    notes.push('download only: packages are fetched into the apt cache, nothing is installed and the node is not rebooted');
    return notes;
  }
  const running = facts?.kernel ? ` (running ${facts.kernel})` : '';
  notes.push(
    {
      never: `reboot policy 'never': the node is not rebooted, the result says whether a reboot is required${running}`,
      'if-required': `reboot policy 'if-required': the node reboots only if, after the upgrade, the kernel the next boot runs differs from the running one${running}`,
      always: `reboot policy 'always': the node reboots after the upgrade, upgraded or not${running}`,
    }[spec.reboot],
  );
  if (facts?.kernels?.pinned) notes.push(`kernel ${facts.kernels.pinned} is pinned: the next boot runs it, whatever else is installed`);
  if (spec.reboot !== 'never')
    notes.push(
      `a reboot counts only when the node answers again within ${spec.rebootTimeoutSeconds} s with a new boot id and the expected kernel`,
    );
  if (spec.reboot !== 'never') notes.push(guestNote(spec, facts));
  return notes;
}
