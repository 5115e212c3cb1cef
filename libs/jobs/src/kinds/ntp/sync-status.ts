/**
 * What the node says about its clock, read back after a rollout: `chronyc tracking` + `chronyc -N
 * sources` for chrony, `timedatectl show`/`show-timesync` properties for systemd-timesyncd. Each
 * `…Problem` function says why the node is not (yet) where the task wants it, or undefined.
 */

/** chrony's leap states while synchronised; "Not synchronised" is the only other one. */
const SYNCED_LEAP = new Set(['Normal', 'Insert second', 'Delete second']);

export interface ChronySource {
  /** `^` server, `=` peer, `#` reference clock. */
  mode: string;
  /** `*` selected, `+` combined, `-` not combined, `?` unusable, `x` falseticker, `~` too variable. */
  state: string;
  name: string;
}

export interface ChronyStatus {
  leapStatus: string | null;
  sources: ChronySource[];
}

/** Reads `chronyc tracking` and `chronyc sources` output (in either order, or just one of them). */
export function parseChronyStatus(text: string): ChronyStatus {
  let leapStatus: string | null = null;
  const sources: ChronySource[] = [];
  for (const line of text.split('\n')) {
    const leap = /^Leap status\s*:\s*(.*?)\s*$/.exec(line);
    if (leap) leapStatus = leap[1] || null;
    const row = /^([\^=#])([*+\-?x~])\s+(\S+)/.exec(line);
    if (row) sources.push({ mode: row[1], state: row[2], name: row[3] });
  }
  return { leapStatus, sources };
}

export function selectedSource(status: ChronyStatus): string | null {
  return status.sources.find((s) => s.state === '*')?.name ?? null;
}

/**
 * chrony is where we want it when its leap status says synchronised, it selected a source, and every
 * requested server is among its sources (an unresolvable name never shows up there).
 */
export function chronyProblem(status: ChronyStatus, servers: readonly string[]): string | undefined {
  const problems: string[] = [];
  if (status.leapStatus === null || !SYNCED_LEAP.has(status.leapStatus)) problems.push(`Leap status ${status.leapStatus ?? '(none)'}`);
  if (selectedSource(status) === null) {
    const seen = status.sources.map((s) => `${s.mode}${s.state} ${s.name}`).join(', ');
    problems.push(`no selected (^*) source (sources: ${seen || 'none'})`);
  }
  const missing = servers.filter((server) => !status.sources.some((s) => sourceNames(s.name, server)));
  if (missing.length) problems.push(`${missing.join(', ')} not among chrony's sources`);
  return problems.length ? problems.join('; ') : undefined;
}

/**
 * `chronyc -N sources` prints a name as configured, cut by its 50-byte buffer (49 characters); without
 * -N, reverse-DNS names are cut to 25 ending in `>`. A row names a server when it is that name
 * (case-insensitively) or such a cut-short prefix of it.
 */
export function sourceNames(row: string, server: string): boolean {
  const a = row.toLowerCase();
  const b = server.toLowerCase();
  if (a === b) return true;
  if (a.length === 49) return b.startsWith(a);
  return a.endsWith('>') && a.length > 1 && b.startsWith(a.slice(0, -1));
}

/** `KEY=value` lines, as `timedatectl show -p …` and `timedatectl show-timesync -p …` print them. */
export function parseProperties(text: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) props.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return props;
}

/**
 * timesyncd is where we want it when the kernel clock is synchronised (`NTPSynchronized=yes`) and the
 * running daemon uses exactly the requested servers (`SystemNTPServers`, i.e. it was restarted).
 */
export function timesyncdProblem(props: Map<string, string>, servers: readonly string[]): string | undefined {
  const problems: string[] = [];
  const synced = props.get('NTPSynchronized');
  if (synced !== 'yes') problems.push(`NTPSynchronized=${synced ?? '(none)'}`);
  const system = props.get('SystemNTPServers');
  const inUse = system?.split(/\s+/).filter(Boolean) ?? [];
  if (inUse.join(' ').toLowerCase() !== servers.join(' ').toLowerCase()) problems.push(`SystemNTPServers=${system ?? '(none)'}`);
  return problems.length ? problems.join('; ') : undefined;
}
