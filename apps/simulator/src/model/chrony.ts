import { hashToInt } from '../util/rng';
import { chronyConfSources, sourcedirSources, TimeSource, timesyncdConfig } from './chrony-config';
import type { SimNode } from './node';

/** (Re)loads chronyd's sources: `all` on start/restart, `sources` for `chronyc reload sources`. */
export function loadChrony(node: SimNode, scope: 'all' | 'sources'): TimeSource[] {
  const { conf, sourcedirs } = chronyConfSources(node.fs);
  const dir = sourcedirSources(node.fs, sourcedirs);
  const keep = scope === 'sources' && node.chronySources ? node.chronySources.filter((s) => s.origin === 'conf') : conf;
  node.chronySources = [...keep, ...dir];
  return node.chronySources;
}

export function chronySources(node: SimNode): TimeSource[] {
  return node.chronySources ?? loadChrony(node, 'all');
}

export interface SourceRow {
  mode: '^' | '=';
  state: '*' | '+' | '-' | '?';
  name: string;
  /** The name as configured (`chronyc -N sources`): the pool's name for each of its servers. */
  configured: string;
  ip: string;
  stratum: number;
  poll: number;
  reach: number;
  lastRx: number | undefined;
  offsetNs: number;
  errorNs: number;
}

export function ipFor(host: string, salt = ''): string {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return host;
  const h = hashToInt(host + salt);
  return `${(h & 0x3f) + 100}.${(h >>> 8) & 0xff}.${(h >>> 16) & 0xff}.${((h >>> 24) % 250) + 2}`;
}

/** Rows of `chronyc sources`: a pool expands to four servers; the first source is selected when synced. */
export function sourceRows(node: SimNode): SourceRow[] {
  const synced = node.clockSynced();
  const rows: SourceRow[] = [];
  for (const s of chronySources(node)) {
    const members = s.kind === 'pool' ? [0, 1, 2, 3].map((i) => ipFor(s.host, String(i))) : [s.host];
    for (const name of members) {
      const h = hashToInt(name);
      rows.push({
        mode: s.kind === 'peer' ? '=' : '^',
        state: '?',
        name,
        configured: s.host,
        ip: ipFor(name),
        stratum: synced ? 1 + (h % 3) : 0,
        poll: synced ? 6 + (h % 4) : 6,
        reach: synced ? 0o377 : 0,
        lastRx: synced ? 20 + (h % 400) : undefined,
        offsetNs: synced ? ((h % 2000) - 1000) * 1000 : 0,
        errorNs: synced ? (5 + (h % 60)) * 1_000_000 : 0,
      });
    }
  }
  if (synced) rows.forEach((r, i) => (r.state = i === 0 ? '*' : i < 3 ? '+' : '-'));
  return rows;
}

export function selectedSource(node: SimNode): SourceRow | undefined {
  return sourceRows(node).find((r) => r.state === '*');
}

/** timesyncd's servers as read at its last start; like chronySources, config changes need a restart. */
const timesyncdLoaded = new WeakMap<SimNode, { ntp: string[]; fallback: string[] }>();

export function timesyncdInUse(node: SimNode): { ntp: string[]; fallback: string[] } {
  let loaded = timesyncdLoaded.get(node);
  if (!loaded) timesyncdLoaded.set(node, (loaded = timesyncdConfig(node.fs)));
  return loaded;
}

/** The server timesyncd talks to: the first NTP= server, else the first fallback. */
export function timesyncdServer(node: SimNode): string | undefined {
  const { ntp, fallback } = timesyncdInUse(node);
  return ntp[0] ?? fallback[0];
}

/** Journal lines a (re)start of the time daemon writes. */
export function logChronyStart(node: SimNode): void {
  if (node.timesync === 'timesyncd') {
    timesyncdLoaded.set(node, timesyncdConfig(node.fs));
    const server = timesyncdServer(node);
    node.log('systemd-timesyncd', 'systemd-timesyncd', 'Starting Network Time Synchronization...', 612);
    if (server && node.clockSynced())
      node.log('systemd-timesyncd', 'systemd-timesyncd', `Contacted time server ${ipFor(server)}:123 (${server}).`, 612);
    return;
  }
  node.log(
    'chrony',
    'chronyd',
    'chronyd version 4.3 starting (+CMDMON +NTP +REFCLOCK +RTC +PRIVDROP +SCFILTER +SIGND +ASYNCDNS +NTS +SECHASH +IPV6 -DEBUG)',
    812,
  );
  loadChrony(node, 'all');
  logSelected(node);
}

export function logSelected(node: SimNode): void {
  const sel = selectedSource(node);
  if (sel) node.log('chrony', 'chronyd', `Selected source ${sel.ip}${sel.name !== sel.ip ? ` (${sel.name})` : ''}`, 812);
}
