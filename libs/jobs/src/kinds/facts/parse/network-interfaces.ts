import type { NetworkFacts, NetworkInterface, NetworkLink, SourceFile } from '../../../node-facts';
import { isRecord, parseJson } from './json';
import { parseSourceFiles } from './sources';

/** The file ifupdown2 starts from; everything else is read only when a `source` line includes it. */
export const INTERFACES_PATH = '/etc/network/interfaces';

/** One option line of a stanza: its key as written (`bridge_ports`), normalised (`bridge-ports`), and value. */
export interface InterfacesOption {
  rawKey: string;
  key: string;
  value: string;
}

/**
 * A file of interfaces(5) cut into blocks, so a plan can rewrite some stanzas and keep every other
 * line as written: `auto`/`allow-*` lines, `iface` stanzas (header, options, the comments between
 * them), and everything else (comments, blank lines, `source`, `mapping`) as text.
 */
export type InterfacesBlock =
  | { type: 'auto'; keyword: string; names: string[]; line: string }
  | { type: 'iface'; name: string; family: string; method: string; options: InterfacesOption[]; lines: string[] }
  | { type: 'source'; keyword: 'source' | 'source-directory'; pattern: string; line: string }
  | { type: 'text'; lines: string[] };

const STANZA = /^(auto|allow-[a-z]+|iface|source|source-directory|mapping)(\s|$)/;

/** Keys ifupdown2 still accepts in the old Debian spelling, as the seed's examples write them. */
const ALIASES: Partial<Record<string, string>> = { slaves: 'bond-slaves' };

export function normaliseKey(rawKey: string): string {
  const dashed = rawKey.replace(/_/g, '-');
  return ALIASES[dashed] ?? dashed;
}

/** Cuts one file into blocks; total (a line it cannot place is kept as text). */
export function parseInterfacesBlocks(text: string): InterfacesBlock[] {
  const blocks: InterfacesBlock[] = [];
  let iface: Extract<InterfacesBlock, { type: 'iface' }> | undefined;
  // Comments and blank lines after a stanza's options belong to it only if more options follow.
  let pending: string[] = [];
  const flush = () => {
    if (pending.length) blocks.push({ type: 'text', lines: pending });
    pending = [];
  };
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    const bare = line.replace(/#.*$/, '').trim();
    if (!bare) {
      pending.push(line);
      continue;
    }
    if (!STANZA.test(bare)) {
      if (iface) {
        iface.lines.push(...pending, line);
        pending = [];
        const [rawKey, ...rest] = bare.split(/\s+/);
        iface.options.push({ rawKey, key: normaliseKey(rawKey), value: rest.join(' ') });
      } else pending.push(line);
      continue;
    }
    iface = undefined;
    flush();
    const [keyword, ...args] = bare.split(/\s+/);
    if (keyword === 'auto' || keyword.startsWith('allow-')) blocks.push({ type: 'auto', keyword, names: args, line });
    else if ((keyword === 'source' || keyword === 'source-directory') && args[0])
      blocks.push({ type: 'source', keyword, pattern: args[0], line });
    else if (keyword === 'iface' && args.length >= 3) {
      iface = { type: 'iface', name: args[0], family: args[1], method: args[2], options: [], lines: [line] };
      blocks.push(iface);
    } else pending.push(line);
  }
  flush();
  return blocks;
}

/** What an interface is, from its options first and PVE's naming conventions second. */
export function interfaceKind(name: string, options: readonly InterfacesOption[], method: string): NetworkInterface['kind'] {
  const has = (key: string) => options.some((o) => o.key === key);
  if (name === 'lo' || method === 'loopback') return 'loopback';
  if (has('bridge-ports') || /^vmbr\d+$/.test(name)) return 'bridge';
  if (has('bond-slaves') || has('bond-mode') || /^bond\d+$/.test(name)) return 'bond';
  if (has('vlan-raw-device') || /^.+\.\d+$/.test(name)) return 'vlan';
  return 'other';
}

/**
 * The host network from `/etc/network/interfaces` and the files its `source` lines include, as
 * the facts script prints them (`==> PATH <==` headers), and the links `ip -j addr` shows. Null when
 * the node has no `/etc/network/interfaces` (not an ifupdown host).
 */
export function parseNetwork(filesText: string, linksJson: string): NetworkFacts | null {
  const files = parseSourceFiles(filesText);
  if (!files.some((f) => f.path === INTERFACES_PATH)) return null;
  const interfaces = interfacesOf(files);
  const management = interfaces.find((i) => i.gateway !== null)?.name ?? null;
  return { files, interfaces, management, links: parseLinks(linksJson) };
}

/** Every interface ifupdown2 would configure from these files, in the order it reads them. */
export function interfacesOf(files: readonly SourceFile[]): NetworkInterface[] {
  const byName = new Map<string, NetworkInterface & { options: InterfacesOption[] }>();
  const auto = new Set<string>();
  const read = (path: string, depth: number) => {
    const file = files.find((f) => f.path === path);
    if (!file || depth > 4) return;
    for (const b of parseInterfacesBlocks(file.content)) {
      if (b.type === 'auto') for (const n of b.names) auto.add(n);
      else if (b.type === 'source') for (const p of sourced(files, b.keyword, b.pattern, path)) read(p, depth + 1);
      else if (b.type === 'iface') {
        const existing = byName.get(b.name);
        const entry = existing ?? {
          name: b.name,
          kind: 'other' as const,
          auto: false,
          method: b.method,
          addresses: [],
          gateway: null,
          file: path,
          bridge: null,
          bond: null,
          vlan: null,
          options: [],
        };
        // An inet stanza decides the method; an inet6 one only adds addresses.
        if (b.family === 'inet') entry.method = b.method;
        entry.options.push(...b.options);
        applyAddresses(entry, b.options, b.family);
        byName.set(b.name, entry);
      }
    }
  };
  read(INTERFACES_PATH, 0);
  return [...byName.values()].map(({ options, ...i }) => ({ ...i, auto: auto.has(i.name), ...roles(i.name, i.method, options) }));
}

function applyAddresses(i: NetworkInterface, options: readonly InterfacesOption[], family: string): void {
  const netmask = options.find((o) => o.key === 'netmask')?.value;
  for (const o of options) {
    if (o.key === 'address') {
      const prefix = !o.value.includes('/') && netmask ? `/${netmaskBits(netmask)}` : '';
      i.addresses.push(`${o.value}${prefix}`);
    } else if (o.key === 'gateway' && family === 'inet') i.gateway = o.value;
  }
}

function roles(
  name: string,
  method: string,
  options: readonly InterfacesOption[],
): Pick<NetworkInterface, 'kind' | 'bridge' | 'bond' | 'vlan'> {
  const get = (key: string) => options.findLast((o) => o.key === key)?.value;
  const list = (key: string) => {
    const v = get(key);
    return !v || v === 'none' ? [] : v.split(/\s+/);
  };
  const int = (key: string) => {
    const v = get(key);
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : null;
  };
  const kind = interfaceKind(name, options, method);
  const dot = name.lastIndexOf('.');
  return {
    kind,
    bridge:
      kind === 'bridge'
        ? {
            ports: list('bridge-ports'),
            vlanAware: ['yes', 'on', '1'].includes(get('bridge-vlan-aware') ?? ''),
            vids: get('bridge-vids') ?? null,
          }
        : null,
    bond:
      kind === 'bond'
        ? {
            slaves: list('bond-slaves'),
            mode: get('bond-mode') ?? null,
            xmitHashPolicy: get('bond-xmit-hash-policy') ?? null,
            miimon: int('bond-miimon'),
          }
        : null,
    vlan:
      kind === 'vlan'
        ? {
            rawDevice: get('vlan-raw-device') ?? (dot > 0 ? name.slice(0, dot) : ''),
            id: int('vlan-id') ?? (Number(name.slice(dot + 1)) || 0),
          }
        : null,
  };
}

/** `255.255.255.0` → 24; a non-contiguous mask counts its set bits, as ifupdown2 does. */
export function netmaskBits(mask: string): number {
  return mask.split('.').reduce(
    (bits, octet) =>
      bits +
      (Number(octet) >>> 0)
        .toString(2)
        .split('')
        .filter((c) => c === '1').length,
    0,
  );
}

/** The files a `source` (glob) or `source-directory` line includes, in name order. Relative paths are under /etc/network. */
function sourced(files: readonly SourceFile[], keyword: 'source' | 'source-directory', pattern: string, from: string): string[] {
  const base = pattern.startsWith('/') ? pattern : `${from.slice(0, from.lastIndexOf('/'))}/${pattern}`;
  const glob = keyword === 'source-directory' ? `${base.replace(/\/+$/, '')}/*` : base;
  const re = new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}$`,
  );
  return files
    .map((f) => f.path)
    .filter((p) => re.test(p))
    .sort();
}

/** `ip -j addr`: each link's name, state, master and IPv4/IPv6 addresses (CIDR). Null when it is not that JSON. */
export function parseLinks(text: string): NetworkLink[] | null {
  const data = parseJson(text);
  if (!Array.isArray(data)) return null;
  return data.filter(isRecord).flatMap((l): NetworkLink[] => {
    if (typeof l.ifname !== 'string') return [];
    const addrs = Array.isArray(l.addr_info) ? l.addr_info.filter(isRecord) : [];
    return [
      {
        name: l.ifname,
        state: typeof l.operstate === 'string' ? l.operstate : 'UNKNOWN',
        master: typeof l.master === 'string' ? l.master : null,
        addresses: addrs.flatMap((a) =>
          typeof a.local === 'string' && typeof a.prefixlen === 'number' ? [`${a.local}/${a.prefixlen}`] : [],
        ),
      },
    ];
  });
}
