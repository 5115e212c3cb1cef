import type { Outputs, StepCondition } from '../../job-kind';
import { parseKernelList } from './kernel-list';
import { parseUpgradableList } from './upgradable-list';

/**
 * What the plan decides on at run time, as pure functions of captured output, so a dry run can show
 * each decision as "only if …" and the task log says which way it went.
 */
export const CAPTURE = {
  upgradable: 'upgradable',
  runningKernel: 'runningKernel',
  remaining: 'remaining',
  kernels: 'kernels',
  kernelAfter: 'kernelAfter',
} as const;

export const pendingPackages = (outputs: Outputs) => parseUpgradableList(outputs[CAPTURE.upgradable]?.stdout ?? '');
export const runningKernel = (outputs: Outputs): string => (outputs[CAPTURE.runningKernel]?.stdout ?? '').trim();
export const nextBootKernel = (outputs: Outputs): string | null => {
  const kernels = outputs[CAPTURE.kernels];
  return kernels ? parseKernelList(kernels.stdout).next : null;
};

/** A reboot is required when the kernel the next boot runs is not the one running now. */
export function rebootRequired(outputs: Outputs): boolean {
  const next = nextBootKernel(outputs);
  return next !== null && runningKernel(outputs) !== '' && next !== runningKernel(outputs);
}

export const PACKAGES_PENDING: StepCondition = {
  describe: 'apt list --upgradable lists packages (otherwise the node is up to date)',
  holds: (outputs) => pendingPackages(outputs).length > 0,
};

export const REBOOT_REQUIRED: StepCondition = {
  describe: 'the kernel the next boot runs (pinned, else the newest installed) differs from the running one (uname -r)',
  holds: rebootRequired,
};
