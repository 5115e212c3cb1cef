import type { Plan, PlanStep } from '../../job-kind';
import type { TimeFacts } from '../../node-facts';
import { SpecError } from '../../spec-error';
import type { NtpSpec } from './ntp-spec';
import { chronyProblem, parseChronyStatus } from './sync-status';
import { watchedRetry } from './watched-retry';
import { writeFileStep } from './write-file';

export const CHRONY_CONF = '/etc/chrony/chrony.conf';
export const CHRONY_SOURCES_DIR = '/etc/chrony/sources.d';
export const CHRONY_DROPIN = `${CHRONY_SOURCES_DIR}/pvefleet.sources`;
export const CHRONY_STATUS = 'chronyc tracking && chronyc -N sources';

export interface ChronyChanges {
  dropin: string;
  dropinChanged: boolean;
  /** chrony.conf as it should be; equal to the node's when nothing changes there. */
  conf: string;
  confChanged: boolean;
  /** The `pool` lines commented out. */
  disabledPools: string[];
  /** chrony.conf did not read sources.d, so the line is added. */
  addsSourcedir: boolean;
}

/** `server X iburst` lines in a drop-in of its own, which `chronyc reload sources` re-reads. */
export function chronyDropin(spec: NtpSpec): string {
  const lines = spec.servers.map((s) => `server ${s}${spec.iburst ? ' iburst' : ''}`);
  return ['# Managed by pvefleet (ntp task): changes here are overwritten.', ...lines, ''].join('\n');
}

const ACTIVE_POOL = /^\s*pool\s/;
const READS_SOURCES_DIR = /^\s*sourcedir\s+\/etc\/chrony\/sources\.d\/?\s*$/;

/** What the rollout changes on this node, decided from its facts (used by the plan and by `finish`). */
export function chronyChanges(spec: NtpSpec, time: TimeFacts): ChronyChanges {
  if (time.chronyConf === null) {
    throw new SpecError([{ field: 'params', message: `chrony runs but ${CHRONY_CONF} could not be read` }]);
  }
  const dropin = chronyDropin(spec);
  const current = time.chronySources.find((f) => f.path === CHRONY_DROPIN)?.content ?? null;
  const lines = time.chronyConf.split('\n');
  const disabledPools = spec.disablePool ? lines.filter((l) => ACTIVE_POOL.test(l)).map((l) => l.trim()) : [];
  let conf = spec.disablePool ? lines.map((l) => (ACTIVE_POOL.test(l) ? `#${l.trimStart()}` : l)).join('\n') : time.chronyConf;
  const addsSourcedir = !lines.some((l) => READS_SOURCES_DIR.test(l));
  if (addsSourcedir) {
    conf = `${conf}${conf === '' || conf.endsWith('\n') ? '' : '\n'}\n# Added by pvefleet: use NTP sources found in ${CHRONY_SOURCES_DIR}.\nsourcedir ${CHRONY_SOURCES_DIR}\n`;
  }
  return { dropin, dropinChanged: current !== dropin, conf, confChanged: conf !== time.chronyConf, disabledPools, addsSourcedir };
}

/**
 * chrony: the servers in `sources.d/pvefleet.sources` and `chronyc reload sources` (which re-reads
 * only sourcedir files). chrony.conf itself is read only at start, so disabling the pool (or adding
 * the sourcedir line) means a restart instead. Then wait until chrony is synchronised.
 */
export function chronyPlan(spec: NtpSpec, time: TimeFacts): Plan {
  const c = chronyChanges(spec, time);
  const notes = [`chrony runs here: the servers go to ${CHRONY_DROPIN}`];
  const steps: PlanStep[] = [];
  if (c.dropinChanged) {
    notes.push(`${CHRONY_DROPIN} will list ${spec.servers.join(', ')}`);
    // A chrony.conf without the sourcedir line may come without the directory too.
    if (c.addsSourcedir) steps.push({ command: `mkdir -p ${CHRONY_SOURCES_DIR}`, description: 'create the sources directory' });
    steps.push(writeFileStep(CHRONY_DROPIN, c.dropin, 'write the chrony sources drop-in'));
  } else {
    notes.push(`${CHRONY_DROPIN} already lists ${spec.servers.join(', ')}`);
  }
  if (c.disabledPools.length) notes.push(`commenting out in ${CHRONY_CONF}: ${c.disabledPools.join('; ')}`);
  else if (spec.disablePool) notes.push(`${CHRONY_CONF} has no active pool line`);
  if (c.addsSourcedir) notes.push(`${CHRONY_CONF} does not read ${CHRONY_SOURCES_DIR}: adding 'sourcedir ${CHRONY_SOURCES_DIR}'`);
  if (c.confChanged) {
    steps.push(writeFileStep(CHRONY_CONF, c.conf, 'write chrony.conf'));
    notes.push(`chrony reads ${CHRONY_CONF} only when it starts: restarting chrony`);
    steps.push({ command: 'systemctl restart chrony', description: 'restart chrony (re-reads chrony.conf and sources.d)' });
  } else if (c.dropinChanged) {
    steps.push({ command: 'chronyc reload sources', description: 'make chrony re-read sources.d' });
  }
  if (!steps.length) notes.push('nothing to change: chrony already has these servers; verifying synchronisation only');
  steps.push(chronySyncStep(spec));
  return { notes, steps };
}

function chronySyncStep(spec: NtpSpec): PlanStep {
  const timeoutMs = spec.syncTimeoutSeconds * 1000;
  return {
    command: CHRONY_STATUS,
    description: 'wait until chrony is synchronised',
    capture: 'sync',
    // Right after a restart chronyd may not answer yet (`506 Cannot talk to daemon`, exit 1): wait on.
    okExitCodes: [0, 1],
    timeoutMs: 30_000,
    retry: watchedRetry(
      `chrony synchronised with ${spec.servers.join(', ')} among its sources`,
      (out) =>
        out.exitCode === 0 ? chronyProblem(parseChronyStatus(out.stdout), spec.servers) : `chronyc failed with exit code ${out.exitCode}`,
      timeoutMs,
      Math.min(2_000, timeoutMs),
    ),
  };
}
