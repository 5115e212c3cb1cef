import type { JobOutcome, Outputs } from '../../job-kind';
import { parseKernelList } from './kernel-list';
import { CAPTURE, pendingPackages, rebootRequired, runningKernel } from './upgrade-decisions';
import type { AptUpgradeSpec } from './aptupgrade.job';
import { guestOutcome } from './guest-policy';

/**
 * What the task records: the packages, whether a reboot was required and done, kernels before and
 * after. Only reached when every step succeeded, so a reboot step that ran is a reboot that happened
 * (the runner fails the task otherwise).
 */
export function upgradeOutcome(spec: AptUpgradeSpec, outputs: Outputs): JobOutcome {
  const upgradable = pendingPackages(outputs);
  const listed = outputs[CAPTURE.kernels];
  const kernels = listed ? parseKernelList(listed.stdout) : null;
  const kernelBefore = runningKernel(outputs);
  const required = rebootRequired(outputs);
  const rebooted = !spec.downloadOnly && (spec.reboot === 'always' || (spec.reboot === 'if-required' && required));
  const kernelAfter = rebooted ? (outputs[CAPTURE.kernelAfter]?.stdout ?? '').trim() : kernelBefore;
  const installed = !spec.downloadOnly && upgradable.length > 0;

  const warnings: string[] = [];
  if (required && !rebooted) {
    warnings.push(
      `a reboot is required: the next boot runs kernel ${kernels?.next}, the node runs ${kernelBefore} (${spec.downloadOnly ? 'download only' : `reboot policy '${spec.reboot}'`})`,
    );
  }
  if (kernels && kernels.next === null) warnings.push('proxmox-boot-tool listed no kernels: cannot tell which kernel the next boot runs');

  return {
    result: {
      summary: summary(spec, upgradable.length, rebooted, required),
      upToDate: upgradable.length === 0,
      downloadOnly: spec.downloadOnly,
      rebootPolicy: spec.reboot,
      upgradable,
      upgradedCount: installed ? upgradable.length : 0,
      rebootRequired: required,
      rebooted,
      kernelBefore,
      kernelAfter,
      nextBootKernel: kernels?.next ?? null,
      pinnedKernel: kernels?.pinned ?? null,
      guests: guestOutcome(spec, outputs),
    },
    warnings,
  };
}

function summary(spec: AptUpgradeSpec, count: number, rebooted: boolean, required: boolean): string {
  if (count === 0) return `the node is up to date${rebooted ? ', rebooted' : required ? ', a reboot is pending' : ''}`;
  if (spec.downloadOnly) return `downloaded ${count} package upgrades, installed nothing`;
  return `upgraded ${count} packages${rebooted ? ', rebooted' : required ? ', a reboot is required' : ', no reboot needed'}`;
}
