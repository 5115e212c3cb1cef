import type { NodeFacts } from '@pvefleet/jobs';
import { z } from 'zod';
import type { DesiredField } from '../desired-field';
import { ntpSpec } from '../../../jobs/src/kinds/ntp/ntp-spec';

const TIME_DAEMONS = ['chrony', 'systemd-timesyncd'] as const;

/**
 * The servers as the `ntp` kind takes them; `keepDefaultPool: false` is its `disablePool: true`.
 * `keepDefaultPool: true` leaves the pool as the node has it (the kind never re-enables a chrony pool
 * line). `daemon`, when given, is the daemon the node must run (no kind installs one: drift only).
 */
const ntpValue = z.strictObject({
  daemon: z.enum(TIME_DAEMONS).optional(),
  servers: ntpSpec.shape.servers,
  keepDefaultPool: z.boolean().default(true),
});
export type NtpValue = z.infer<typeof ntpValue>;

export interface NtpObserved {
  daemon: (typeof TIME_DAEMONS)[number] | null;
  /** `server` sources chrony reads (chrony.conf and sources.d), in file order, lower-cased. */
  servers: string[];
  /** Whether an active `pool` line remains. */
  pool: boolean;
}

const SERVER = /^\s*server\s+(\S+)/;
/** `NTP=a b` / `FallbackNTP=` lines of timesyncd's [Time] section. */
const TIMESYNCD_SETTING = /^\s*(NTP|FallbackNTP)\s*=\s*(.*?)\s*$/;
const POOL = /^\s*pool\s/;

export const ntpField: DesiredField<NtpValue, NtpObserved> = {
  key: 'ntp',
  description: 'NTP: the time daemon, its servers, and whether the default pool stays',
  scope: 'node',
  defaultMode: 'enforce',
  schema: ntpValue,
  observe(facts: NodeFacts) {
    const t = facts.time;
    if (t.daemon === null) return { daemon: null, servers: [], pool: false };
    if (t.daemon === 'systemd-timesyncd') return observeTimesyncd(t.timesyncdConf, t.timesyncdSources);
    if (t.chronyConf === null) return null;
    const lines = [t.chronyConf, ...t.chronySources.map((f) => f.content)].flatMap((c) => c.split('\n'));
    return {
      daemon: 'chrony',
      servers: lines.flatMap((l) => SERVER.exec(l)?.[1]?.toLowerCase() ?? []),
      pool: lines.some((l) => POOL.test(l)),
    };
  },
  differs(desired, observed) {
    const why: string[] = [];
    if (observed.daemon === null) return 'no time daemon runs (neither chrony nor systemd-timesyncd)';
    if (desired.daemon && desired.daemon !== observed.daemon) why.push(`runs ${observed.daemon}, wants ${desired.daemon}`);
    const wanted = desired.servers.map((s) => s.toLowerCase());
    const missing = wanted.filter((s) => !observed.servers.includes(s));
    const extra = observed.servers.filter((s) => !wanted.includes(s));
    if (missing.length || extra.length) {
      why.push(`servers are ${observed.servers.join(', ') || 'none'}, wants ${wanted.join(', ')}`);
    }
    if (!desired.keepDefaultPool && observed.pool) why.push('the default pool is still in use');
    return why.length ? why.join('; ') : undefined;
  },
  fix(desired, facts) {
    const observed = ntpField.observe?.(facts) ?? null;
    if (observed && !ntpField.differs?.(desired, observed, facts.collectedAt)) return [];
    // The kind applies servers with whichever daemon runs; a wrong daemon stays drift it cannot fix.
    if (facts.time.daemon === null || (desired.daemon && desired.daemon !== facts.time.daemon)) return [];
    return [{ type: 'ntp', params: { servers: desired.servers, disablePool: !desired.keepDefaultPool } }];
  },
};

/**
 * What systemd-timesyncd uses: timesyncd.conf, then its drop-ins in name order. Each `NTP=` adds to
 * the list and an empty one clears it; `FallbackNTP=` replaces the fallback (Debian's pool when
 * never set), so an empty one is "no default pool". Unknown when facts predate the drop-ins.
 */
function observeTimesyncd(conf: string | null, dropins: { content: string }[] | undefined): NtpObserved | null {
  if (conf === null || dropins === undefined) return null;
  let servers: string[] = [];
  let pool = true;
  for (const line of [conf, ...dropins.map((f) => f.content)].flatMap((c) => c.split('\n'))) {
    const m = TIMESYNCD_SETTING.exec(line);
    if (!m) continue;
    const words = m[2].split(/\s+/).filter(Boolean);
    if (m[1] === 'NTP') servers = words.length ? [...servers, ...words.map((w) => w.toLowerCase())] : [];
    else pool = words.length > 0;
  }
  return { daemon: 'systemd-timesyncd', servers, pool };
}
