import { type InterfacesOption, parseInterfacesBlocks } from '../facts/parse/network-interfaces';
import type { IfaceView } from './network-view';

/** Keys pvefleet writes from the spec; any other option of a rewritten stanza (mtu, post-up, bridge-stp …) stays. */
const MANAGED_KEYS: ReadonlySet<string> = new Set([
  'address',
  'netmask',
  'gateway',
  'bridge-ports',
  'bridge-vlan-aware',
  'bridge-vids',
  'bond-slaves',
  'bond-mode',
  'bond-miimon',
  'bond-xmit-hash-policy',
  'vlan-raw-device',
  'vlan-id',
]);

export interface InterfacesRewrite {
  /** Bridges, bonds and VLANs as they must be: each replaces its `inet` stanza, or is added. */
  declared: readonly IfaceView[];
  /** Interfaces whose stanzas (and `auto` entries) go. */
  removed: readonly string[];
  /** NICs the declared interfaces use that have no stanza yet: PVE writes `iface NIC inet manual` for them. */
  nics: readonly string[];
}

/**
 * The new /etc/network/interfaces: the current file with the declared interfaces' stanzas rewritten
 * in place (their other options kept), removed ones dropped, new ones added after the last stanza
 * (before trailing `source` lines), and every other line, comment and `source` as it was.
 */
export function renderInterfaces(current: string, change: InterfacesRewrite): string {
  const blocks = parseInterfacesBlocks(current);
  const declared = new Map(change.declared.map((d) => [d.name, d]));
  const dropped = new Set([...change.removed, ...declared.keys()]);
  const written = new Set<string>();
  const out: string[][] = [];
  // New stanzas go after the last stanza kept, so trailing `source` lines (and their comments) stay last.
  let afterStanzas: number | undefined;
  const keep = (lines: string[], isStanza: boolean) => {
    out.push(lines);
    if (isStanza) afterStanzas = out.length;
  };
  for (const b of blocks) {
    if (b.type === 'auto') {
      const names = b.names.filter((n) => !dropped.has(n));
      if (names.length === b.names.length) keep([b.line], true);
      else if (names.length) keep([`${b.keyword} ${names.join(' ')}`], true);
    } else if (b.type === 'iface') {
      const d = declared.get(b.name);
      if (d && b.family === 'inet' && !written.has(b.name)) {
        written.add(b.name);
        keep(stanza(d, b.options), true);
      } else if (!change.removed.includes(b.name) && !(d && b.family === 'inet')) keep(b.lines, true);
    } else keep(b.type === 'source' ? [b.line] : b.lines, false);
  }
  const added = [
    ...change.nics.map((n) => [`iface ${n} inet manual`]),
    ...change.declared.filter((d) => !written.has(d.name)).map((d) => stanza(d, [])),
  ];
  if (added.length) out.splice(afterStanzas ?? out.length, 0, ...added.flatMap((lines) => [[''], lines, ['']]));
  return `${tidy(out.flat()).join('\n')}\n`;
}

/** No runs of blank lines, none at the start or end, where dropped stanzas left them. */
function tidy(lines: string[]): string[] {
  const out = lines.filter((l, i) => l.trim() !== '' || (i > 0 && lines[i - 1].trim() !== ''));
  while (out.length && out[0].trim() === '') out.shift();
  while (out.length && out[out.length - 1].trim() === '') out.pop();
  return out;
}

/** The stanza as PVE 7+ writes it (CIDR address, dashed keys, tab-indented), then the options kept from before. */
function stanza(d: IfaceView, before: readonly InterfacesOption[]): string[] {
  const kept = before.filter((o) => !MANAGED_KEYS.has(o.key));
  const opts: string[] = [];
  if (d.address) opts.push(`address ${d.address}`);
  if (d.gateway) opts.push(`gateway ${d.gateway}`);
  if (d.kind === 'bridge') {
    opts.push(`bridge-ports ${d.ports.join(' ') || 'none'}`);
    if (!kept.some((o) => o.key === 'bridge-stp')) opts.push('bridge-stp off');
    if (!kept.some((o) => o.key === 'bridge-fd')) opts.push('bridge-fd 0');
    if (d.vlanAware) opts.push('bridge-vlan-aware yes');
    if (d.vlanAware && d.vids) opts.push(`bridge-vids ${d.vids}`);
  } else if (d.kind === 'bond') {
    opts.push(`bond-slaves ${d.slaves.join(' ')}`);
    if (d.miimon !== null) opts.push(`bond-miimon ${d.miimon}`);
    if (d.mode) opts.push(`bond-mode ${d.mode}`);
    if (d.xmitHashPolicy) opts.push(`bond-xmit-hash-policy ${d.xmitHashPolicy}`);
  } else if (d.name !== `${d.rawDevice}.${d.id}`) opts.push(`vlan-raw-device ${d.rawDevice}`, `vlan-id ${d.id}`);
  return [
    `auto ${d.name}`,
    `iface ${d.name} inet ${d.address ? 'static' : 'manual'}`,
    ...[...opts, ...kept.map((o) => `${o.rawKey} ${o.value}`.trim())].map((o) => `\t${o}`),
  ];
}
