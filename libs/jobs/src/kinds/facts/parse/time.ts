import type { TimeFacts } from '../../../node-facts';
import type { FactSections } from '../facts-script';
import { fileFromSection } from './file-content';
import { parseSourceFiles } from './sources';

/** chrony's leap states while synchronised; "Not synchronised" is the only other one. */
const SYNCED_LEAP = new Set(['Normal', 'Insert second', 'Delete second']);

/**
 * Time sync: which daemon runs (`systemctl is-active chrony systemd-timesyncd`, chrony's line
 * first), whether the clock is synchronised, and the configuration a timesync job rewrites.
 */
export function parseTime(s: FactSections): TimeFacts {
  const [chrony, timesyncd] = s.timeDaemons.split('\n').map((l) => l.trim());
  const daemon = chrony === 'active' ? 'chrony' : timesyncd === 'active' ? 'systemd-timesyncd' : null;
  const leapStatus = daemon === 'chrony' ? readLeapStatus(s.chronyTracking) : null;
  const selectedSource = daemon === 'chrony' ? readSelectedSource(s.chronySources) : null;
  return {
    daemon,
    // Otherwise timedatectl's NTPSynchronized: the kernel's sync flag, which timesyncd sets and
    // which still answers when neither daemon runs (another NTP daemon may keep the clock).
    synced: daemon === 'chrony' ? chronySynced(s, leapStatus, selectedSource) : readYesNo(s.ntpSynchronized),
    leapStatus,
    selectedSource,
    chronyConf: fileFromSection(s.chronyConf),
    chronySources: parseSourceFiles(s.chronyDropins),
    timesyncdConf: fileFromSection(s.timesyncdConf),
    timesyncdSources: parseSourceFiles(s.timesyncdDropins).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}

/** chrony is synced when its leap status says so and it selected a source; without any chronyc output, unknown. */
function chronySynced(s: FactSections, leapStatus: string | null, selectedSource: string | null): boolean | null {
  if (s.chronyTracking.trim() === '' && s.chronySources.trim() === '') return null;
  return leapStatus !== null && SYNCED_LEAP.has(leapStatus) && selectedSource !== null;
}

/** `Leap status     : Normal` from `chronyc tracking`. */
function readLeapStatus(tracking: string): string | null {
  for (const line of tracking.split('\n')) {
    const m = /^Leap status\s*:\s*(.*?)\s*$/.exec(line);
    if (m) return m[1] || null;
  }
  return null;
}

/**
 * The row of `chronyc sources` whose state column is `*` (selected): `^* ntp1.example.com  2 …`.
 * The mode character is `^` for a server; a selected peer (`=`) or reference clock (`#`) counts too.
 */
function readSelectedSource(sources: string): string | null {
  for (const line of sources.split('\n')) {
    const m = /^[\^=#]\*\s+(\S+)/.exec(line);
    if (m) return m[1];
  }
  return null;
}

function readYesNo(text: string): boolean | null {
  const value = text.trim();
  return value === 'yes' ? true : value === 'no' ? false : null;
}
