import type { JobKindOf, Outputs } from '../../job-kind';
import type { NodeFacts, TimeFacts } from '../../node-facts';
import { SpecError } from '../../spec-error';
import { CHRONY_CONF, CHRONY_DROPIN, chronyChanges, chronyPlan } from './chrony-plan';
import { ntpSpec, type NtpSpec } from './ntp-spec';
import { parseChronyStatus, parseProperties, selectedSource } from './sync-status';
import { dropinDiffers, TIMESYNCD_DROPIN, timesyncdDropin, timesyncdPlan } from './timesyncd-plan';

/** The node's facts and the time daemon it runs, or a plan error naming what is missing. */
function timeOf(facts: NodeFacts | null): { facts: NodeFacts; daemon: 'chrony' | 'systemd-timesyncd' } {
  const daemon = facts?.time.daemon ?? null;
  if (facts === null || daemon === null) {
    throw new SpecError([
      {
        field: 'params',
        message: 'no time daemon runs on the node (neither chrony nor systemd-timesyncd is active): install and start chrony first',
      },
    ]);
  }
  return { facts, daemon };
}

/**
 * NTP rollout: a server list applied with whichever daemon the node runs (chrony or
 * systemd-timesyncd), then a wait until the clock is synchronised, failing with what the node said.
 */
export const ntpJob: JobKindOf<'ntp', typeof ntpSpec> = {
  type: 'ntp',
  mutating: true,
  readBack: { by: 'plan', describe: 'the time daemon is read until the clock is synchronised to the configured servers' },
  usesFacts: true,
  description: 'Apply NTP servers (chrony drop-in or timesyncd NTP=) and wait until the clock is synchronised',
  spec: ntpSpec,
  plan(spec, nodeFacts) {
    const { facts, daemon } = timeOf(nodeFacts);
    return daemon === 'chrony' ? chronyPlan(spec, facts.time) : timesyncdPlan(spec);
  },
  finish(spec, outputs, ctx) {
    const { facts, daemon } = timeOf(ctx.facts);
    const time = facts.time;
    if (daemon === 'chrony') {
      const changes = chronyChanges(spec, time);
      const status = parseChronyStatus(outputs.sync?.stdout ?? '');
      const newTime: TimeFacts = {
        ...time,
        synced: true,
        leapStatus: status.leapStatus,
        selectedSource: selectedSource(status),
        chronyConf: changes.conf,
        chronySources: [...time.chronySources.filter((f) => f.path !== CHRONY_DROPIN), { path: CHRONY_DROPIN, content: changes.dropin }],
      };
      return {
        result: {
          daemon: 'chrony',
          servers: spec.servers,
          changed: changes.dropinChanged || changes.confChanged,
          files: [...(changes.dropinChanged ? [CHRONY_DROPIN] : []), ...(changes.confChanged ? [CHRONY_CONF] : [])],
          disabledPools: changes.disabledPools,
          leapStatus: status.leapStatus,
          selectedSource: selectedSource(status),
        },
        facts: { ...facts, time: newTime },
      };
    }
    return { result: timesyncdResult(spec, outputs), facts: { ...facts, time: { ...time, synced: true } } };
  },
};

function timesyncdResult(spec: NtpSpec, outputs: Outputs): Record<string, unknown> {
  const props = parseProperties(outputs.sync?.stdout ?? '');
  const changed = dropinDiffers(outputs, timesyncdDropin(spec));
  return {
    daemon: 'systemd-timesyncd',
    servers: spec.servers,
    changed,
    files: changed ? [TIMESYNCD_DROPIN] : [],
    serverName: props.get('ServerName') || null,
  };
}
