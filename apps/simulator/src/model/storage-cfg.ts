/** PVE SectionConfig (`type: id` then tab-indented `key value` lines), as in /etc/pve/storage.cfg. */
export interface StorageEntry {
  type: string;
  id: string;
  props: Record<string, string>;
}

export function parseStorageCfg(text: string): StorageEntry[] {
  const out: StorageEntry[] = [];
  let cur: StorageEntry | undefined;
  for (const line of text.split('\n')) {
    const head = /^(\w+):\s*(\S+)\s*$/.exec(line);
    if (head) {
      cur = { type: head[1], id: head[2], props: {} };
      out.push(cur);
      continue;
    }
    const prop = /^\s+(\S+)(?:\s+(.*))?$/.exec(line);
    if (prop && cur) cur.props[prop[1]] = prop.at(2) ?? '1';
    else if (!line.trim()) cur = undefined;
  }
  return out;
}

/** One property of an entry, or undefined when the entry does not set it. */
export function storageProp(e: StorageEntry, key: string): string | undefined {
  return Object.hasOwn(e.props, key) ? e.props[key] : undefined;
}

/** The entry's properties without `keys` (in their order), as `pvesm set --delete` leaves them. */
export function propsWithout(e: StorageEntry, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(e.props).filter(([k]) => !keys.includes(k)));
}

export function formatStorageCfg(entries: StorageEntry[]): string {
  return entries
    .map(
      (e) =>
        `${e.type}: ${e.id}\n${Object.entries(e.props)
          .map(([k, v]) => `\t${k} ${v}\n`)
          .join('')}\n`,
    )
    .join('');
}
