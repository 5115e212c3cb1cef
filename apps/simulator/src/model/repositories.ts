/**
 * Reads the node's APT sources the way apt does: one-line `.list` files
 * (commented lines are disabled) and deb822 `.sources` stanzas
 * (`Enabled: no` disables). pvefleet switches channels by editing these
 * files, so the enabled channel is always derived from them, never stored.
 */
export interface AptRepo {
  file: string;
  uri: string;
  suite: string;
  components: string[];
  enabled: boolean;
}

export type Channel = 'enterprise' | 'no-subscription' | 'test';

interface FileReader {
  tryRead(path: string): string | undefined;
  isDir(path: string): boolean;
  list(path: string): string[];
}

export function readRepositories(fs: FileReader): AptRepo[] {
  const repos: AptRepo[] = [];
  const main = fs.tryRead('/etc/apt/sources.list');
  if (main !== undefined) repos.push(...parseOneLine('/etc/apt/sources.list', main));
  if (fs.isDir('/etc/apt/sources.list.d')) {
    for (const name of fs.list('/etc/apt/sources.list.d')) {
      const path = `/etc/apt/sources.list.d/${name}`;
      const text = fs.tryRead(path);
      if (text === undefined) continue;
      if (name.endsWith('.list')) repos.push(...parseOneLine(path, text));
      else if (name.endsWith('.sources')) repos.push(...parseDeb822(path, text));
    }
  }
  return repos;
}

function parseOneLine(file: string, text: string): AptRepo[] {
  const out: AptRepo[] = [];
  for (const raw of text.split('\n')) {
    const commented = /^\s*#/.test(raw);
    const line = raw
      .replace(/^\s*#\s*/, '')
      .replace(/\[[^\]]*\]\s*/, '')
      .trim();
    const m = /^deb\s+(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    out.push({ file, uri: m[1].replace(/\/$/, ''), suite: m[2], components: m[3].split(/\s+/).filter(Boolean), enabled: !commented });
  }
  return out;
}

function parseDeb822(file: string, text: string): AptRepo[] {
  const out: AptRepo[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let key = '';
    for (const line of stanza.split('\n')) {
      if (/^\s*#/.test(line)) continue;
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (m) {
        key = m[1].toLowerCase();
        fields.set(key, m[2].replace(/\s+#.*$/, ''));
      } else if (/^\s+\S/.test(line) && key) fields.set(key, `${fields.get(key)} ${line.trim()}`);
    }
    if (!fields.get('types')?.split(/\s+/).includes('deb')) continue;
    const enabled = !/^(no|false|0)$/i.test(fields.get('enabled') ?? 'yes');
    for (const uri of (fields.get('uris') ?? '').split(/\s+/).filter(Boolean)) {
      for (const suite of (fields.get('suites') ?? '').split(/\s+/).filter(Boolean)) {
        out.push({
          file,
          uri: uri.replace(/\/$/, ''),
          suite,
          components: (fields.get('components') ?? '').split(/\s+/).filter(Boolean),
          enabled,
        });
      }
    }
  }
  return out;
}

export const isEnterprise = (repo: AptRepo): boolean => repo.uri.includes('enterprise.proxmox.com');

/** Archive keys (see package-catalog) a repository line provides. */
export function archiveKeys(repo: AptRepo): string[] {
  const ceph = /\/debian\/(ceph-[a-z]+)$/.exec(repo.uri);
  if (ceph) return repo.components.map((c) => `${ceph[1]}:${repo.suite}:${c}`);
  if (/proxmox\.com\/debian\/pve$/.test(repo.uri)) return repo.components.map((c) => `pve:${repo.suite}:${c}`);
  if (/\/debian(-security)?$/.test(repo.uri)) return [`debian:${repo.suite.replace(/-(updates|security|backports)$/, '')}`];
  return [];
}

/** The PVE channel the enabled sources select, for state read-back. */
export function enabledChannels(repos: AptRepo[]): { pve: Channel[]; ceph: Channel[] } {
  const channelOf = (c: string): Channel | undefined =>
    c === 'pve-enterprise' || c === 'enterprise'
      ? 'enterprise'
      : c.includes('no-subscription')
        ? 'no-subscription'
        : c === 'pvetest' || c === 'pve-test' || c === 'test'
          ? 'test'
          : undefined;
  const pve = new Set<Channel>();
  const ceph = new Set<Channel>();
  for (const r of repos.filter((x) => x.enabled)) {
    for (const key of archiveKeys(r)) {
      const [kind, , comp] = key.split(':');
      const ch = comp ? channelOf(comp) : undefined;
      if (!ch) continue;
      if (kind === 'pve') pve.add(ch);
      else if (kind.startsWith('ceph-')) ceph.add(ch);
    }
  }
  return { pve: [...pve], ceph: [...ceph] };
}
