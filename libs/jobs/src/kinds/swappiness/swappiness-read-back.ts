import type { PlanStep } from '../../job-kind';
import { SWAPPINESS_FILE } from './swappiness-file';

const SETTING = /^\s*-?vm[./]swappiness\s*=\s*(\d+)\s*$/;

/** `sysctl -n vm.swappiness` must show the value now. */
export function liveReadBack(value: number): PlanStep {
  return {
    command: 'sysctl -n vm.swappiness',
    description: 'read vm.swappiness back',
    capture: 'live',
    verify: (out) => {
      const now = out.stdout.trim();
      return now === String(value) ? undefined : `vm.swappiness is ${now || 'unreadable'}, expected ${value}`;
    },
  };
}

/** pvefleet's sysctl.d file must set the value, so a boot keeps it (its vm.swappiness lines only: the log shows just those). */
export function fileReadBack(value: number): PlanStep {
  return {
    command: `grep -E '^[[:space:]]*-?vm[./]swappiness[[:space:]]*=' ${SWAPPINESS_FILE}`,
    description: `read ${SWAPPINESS_FILE} back`,
    capture: 'file',
    // grep: 1 when no line matches, 2 when the file is missing.
    okExitCodes: [0, 1, 2],
    verify: (out) => {
      if (out.exitCode === 2) return `${SWAPPINESS_FILE} is missing`;
      const set = out.stdout
        .split('\n')
        .map((l) => SETTING.exec(l))
        .filter((m) => m !== null)
        .map((m) => m[1]);
      return set.length === 1 && set[0] === String(value)
        ? undefined
        : `${SWAPPINESS_FILE} sets vm.swappiness to ${set.join(', ') || 'nothing'}, expected ${value}`;
    },
  };
}
