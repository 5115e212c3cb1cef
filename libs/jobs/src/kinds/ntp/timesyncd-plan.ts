import type { Outputs, Plan, PlanStep, StepCondition } from '../../job-kind';
import { shellQuote } from '../../shell-quote';
import type { NtpSpec } from './ntp-spec';
import { parseProperties, timesyncdProblem } from './sync-status';
import { watchedRetry } from './watched-retry';
import { writeFileStep } from './write-file';

export const TIMESYNCD_DROPIN_DIR = '/etc/systemd/timesyncd.conf.d';
export const TIMESYNCD_DROPIN = `${TIMESYNCD_DROPIN_DIR}/pvefleet.conf`;
export const TIMESYNCD_STATUS = 'timedatectl show -p NTPSynchronized && timedatectl show-timesync -p SystemNTPServers -p ServerName';
/** The capture holding the drop-in as it was before the task. */
export const CURRENT_DROPIN = 'timesyncdDropin';

/**
 * The drop-in: systemd reads it after timesyncd.conf. `NTP=` lists add up across files, so an empty
 * `NTP=` first drops whatever timesyncd.conf names; an empty `FallbackNTP=` drops Debian's pool.
 */
export function timesyncdDropin(spec: NtpSpec): string {
  return [
    '# Managed by pvefleet (ntp task): changes here are overwritten.',
    '[Time]',
    'NTP=',
    `NTP=${spec.servers.join(' ')}`,
    ...(spec.disablePool ? ['FallbackNTP='] : []),
    '',
  ].join('\n');
}

/** Whether the captured drop-in differs from `wanted` (the capture has lost the final newline). */
export function dropinDiffers(outputs: Outputs, wanted: string): boolean {
  const current = outputs[CURRENT_DROPIN]?.stdout ?? '';
  return current.replace(/\n+$/, '') !== wanted.replace(/\n+$/, '');
}

/**
 * systemd-timesyncd: `NTP=` in a drop-in of its own and a restart (timesyncd has no reload), then
 * wait until the kernel clock is synchronised with the daemon using exactly these servers. Facts do
 * not carry the drop-in, so the plan reads it first and writes only when it differs.
 */
export function timesyncdPlan(spec: NtpSpec): Plan {
  const dropin = timesyncdDropin(spec);
  const differs: StepCondition = {
    describe: `${TIMESYNCD_DROPIN} differs from the wanted content`,
    holds: (o) => dropinDiffers(o, dropin),
  };
  const timeoutMs = spec.syncTimeoutSeconds * 1000;
  const steps: PlanStep[] = [
    {
      command: `cat ${shellQuote(TIMESYNCD_DROPIN)} 2>/dev/null || true`,
      description: 'read the current drop-in',
      capture: CURRENT_DROPIN,
      quiet: true,
    },
    { command: `mkdir -p ${shellQuote(TIMESYNCD_DROPIN_DIR)}`, description: 'create the drop-in directory', when: differs },
    writeFileStep(TIMESYNCD_DROPIN, dropin, 'write the timesyncd drop-in', differs),
    { command: 'systemctl restart systemd-timesyncd', description: 'restart systemd-timesyncd (it has no reload)', when: differs },
    {
      command: TIMESYNCD_STATUS,
      description: 'wait until the clock is synchronised',
      capture: 'sync',
      okExitCodes: [0, 1],
      timeoutMs: 30_000,
      retry: watchedRetry(
        `clock synchronised by systemd-timesyncd using ${spec.servers.join(', ')}`,
        (out) =>
          out.exitCode === 0
            ? timesyncdProblem(parseProperties(out.stdout), spec.servers)
            : `timedatectl failed with exit code ${out.exitCode}`,
        timeoutMs,
        Math.min(2_000, timeoutMs),
      ),
    },
  ];
  const notes = [
    `systemd-timesyncd runs here: the servers go to ${TIMESYNCD_DROPIN} (read after timesyncd.conf)`,
    `NTP=${spec.servers.join(' ')}${spec.disablePool ? ', FallbackNTP= (no Debian pool)' : ''}; written and applied only if the drop-in differs`,
  ];
  return { notes, steps };
}
