/**
 * What chronyd would load from its configuration: `server`/`pool`/`peer`
 * lines in chrony.conf and in `sourcedir` files (`*.sources`). A commented
 * line is ignored, so commenting out `pool` removes the pool source.
 */
export interface TimeSource {
  kind: 'server' | 'pool' | 'peer';
  host: string;
  origin: 'conf' | 'sourcedir';
}

interface FileReader {
  tryRead(path: string): string | undefined;
  isDir(path: string): boolean;
  list(path: string): string[];
}

export function chronyConfSources(fs: FileReader): { conf: TimeSource[]; sourcedirs: string[] } {
  const conf: TimeSource[] = [];
  const sourcedirs: string[] = [];
  const files = ['/etc/chrony/chrony.conf'];
  for (let i = 0; i < files.length; i++) {
    const text = fs.tryRead(files[i]) ?? '';
    for (const line of text.split('\n')) {
      const m = /^\s*(server|pool|peer|sourcedir|confdir)\s+(\S+)/.exec(line);
      if (!m) continue;
      if (m[1] === 'sourcedir') sourcedirs.push(m[2]);
      else if (m[1] === 'confdir') {
        if (fs.isDir(m[2]))
          files.push(
            ...fs
              .list(m[2])
              .filter((n) => n.endsWith('.conf'))
              .map((n) => `${m[2]}/${n}`),
          );
      } else conf.push({ kind: m[1] as TimeSource['kind'], host: m[2], origin: 'conf' });
    }
  }
  return { conf, sourcedirs };
}

export function sourcedirSources(fs: FileReader, dirs: string[]): TimeSource[] {
  const out: TimeSource[] = [];
  for (const dir of dirs) {
    if (!fs.isDir(dir)) continue;
    for (const name of fs.list(dir).filter((n) => n.endsWith('.sources'))) {
      for (const line of (fs.tryRead(`${dir}/${name}`) ?? '').split('\n')) {
        const m = /^\s*(server|pool|peer)\s+(\S+)/.exec(line);
        if (m) out.push({ kind: m[1] as TimeSource['kind'], host: m[2], origin: 'sourcedir' });
      }
    }
  }
  return out;
}

/** `NTP=` (and `FallbackNTP=` when NTP is empty) from timesyncd.conf and its drop-ins. */
export function timesyncdServers(fs: FileReader): string[] {
  const { ntp, fallback } = timesyncdConfig(fs);
  return ntp.length ? ntp : fallback;
}

/**
 * timesyncd.conf, then its drop-ins in name order. As in timesyncd's config_parse_servers, `NTP=a b`
 * adds to the list (duplicates skipped) and an empty `NTP=` clears it; the same for FallbackNTP=.
 */
export function timesyncdConfig(fs: FileReader): { ntp: string[]; fallback: string[] } {
  const texts = [fs.tryRead('/etc/systemd/timesyncd.conf') ?? ''];
  const dropins = '/etc/systemd/timesyncd.conf.d';
  if (fs.isDir(dropins))
    texts.push(
      ...fs
        .list(dropins)
        .filter((n) => n.endsWith('.conf'))
        .sort()
        .map((n) => fs.tryRead(`${dropins}/${n}`) ?? ''),
    );
  const ntp: string[] = [];
  let fallback: string[] | undefined;
  for (const text of texts) {
    for (const line of text.split('\n')) {
      const m = /^\s*(NTP|FallbackNTP)\s*=\s*(.*)$/.exec(line);
      if (!m) continue;
      const list = m[1] === 'NTP' ? ntp : (fallback ??= []);
      const names = m[2].split(/\s+/).filter(Boolean);
      if (!names.length) list.length = 0;
      for (const n of names) if (!list.includes(n)) list.push(n);
    }
  }
  return {
    ntp,
    fallback: fallback ?? ['0.debian.pool.ntp.org', '1.debian.pool.ntp.org', '2.debian.pool.ntp.org', '3.debian.pool.ntp.org'],
  };
}
