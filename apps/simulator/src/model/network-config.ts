import type { FileSystem } from '../vfs/node-fs';

/** One `iface` stanza of ifupdown's interfaces(5), with the options PVE writes. */
export interface IfaceConfig {
  name: string;
  auto: boolean;
  method: string;
  /** `10.0.0.11/16` (an `address` without a prefix takes `netmask`'s). */
  addresses: string[];
  gateway?: string;
  bridgePorts?: string[];
  vlanAware?: boolean;
  bondSlaves?: string[];
  bondMode?: string;
  vlanRawDevice?: string;
  options: Record<string, string>;
  file: string;
  line: number;
}

export interface ParsedInterfaces {
  ifaces: IfaceConfig[];
  errors: string[];
}

const METHODS = new Set(['static', 'manual', 'dhcp', 'loopback']);
const STANZAS = /^(auto|allow-hotplug|allow-auto|iface|source|source-directory|mapping)\b/;

/** `/etc/network/interfaces` (or `mainText` in its place) and the files it sources, in ifupdown2's order. */
export function parseInterfaces(fs: FileSystem, mainText?: string): ParsedInterfaces {
  const result: ParsedInterfaces = { ifaces: [], errors: [] };
  const auto = new Set<string>();
  parseFile(fs, '/etc/network/interfaces', result, auto, 0, mainText);
  for (const i of result.ifaces) i.auto = auto.has(i.name);
  return result;
}

function parseFile(fs: FileSystem, path: string, result: ParsedInterfaces, auto: Set<string>, depth: number, given?: string): void {
  const text = given ?? fs.tryRead(path);
  if (text === undefined) {
    if (depth === 0) result.errors.push(`error: ${path}: No such file or directory`);
    return;
  }
  let current: IfaceConfig | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const words = line.split(/\s+/);
    if (!STANZAS.test(line)) {
      if (!current) return void result.errors.push(`error: ${path}: line${index + 1}: option outside of an iface stanza: '${line}'`);
      const [key, ...rest] = words;
      applyOption(current, key, rest.join(' '));
      return;
    }
    current = undefined;
    const [kw, ...args] = words;
    if (kw === 'auto' || kw === 'allow-auto' || kw === 'allow-hotplug') for (const a of args) auto.add(a);
    else if (kw === 'source') for (const f of expandGlob(fs, args[0] ?? '')) parseFile(fs, f, result, auto, depth + 1);
    else if (kw === 'source-directory') for (const f of expandGlob(fs, `${args[0] ?? ''}/*`)) parseFile(fs, f, result, auto, depth + 1);
    else if (kw === 'iface') {
      const [name, family, method] = args;
      if (!name || !family || !method) return void result.errors.push(`error: ${path}: line${index + 1}: invalid iface stanza '${line}'`);
      if (!METHODS.has(method))
        return void result.errors.push(`error: ${path}: line${index + 1}: ${name}: invalid address method '${method}'`);
      if (family !== 'inet') return; // inet6 stanzas add nothing this model reports
      const existing = result.ifaces.find((i) => i.name === name);
      current = existing ?? { name, auto: false, method, addresses: [], options: {}, file: path, line: index + 1 };
      if (!existing) result.ifaces.push(current);
    }
  });
}

function applyOption(i: IfaceConfig, rawKey: string, value: string): void {
  const key = rawKey.replace(/_/g, '-');
  i.options[key] = value;
  if (key === 'address') i.addresses.push(value);
  else if (key === 'netmask') i.addresses = i.addresses.map((a) => (a.includes('/') ? a : `${a}/${maskBits(value)}`));
  else if (key === 'gateway') i.gateway = value;
  else if (key === 'bridge-ports') i.bridgePorts = value === 'none' ? [] : value.split(/\s+/);
  else if (key === 'bridge-vlan-aware') i.vlanAware = value === 'yes' || value === '1';
  else if (key === 'bond-slaves' || key === 'slaves') i.bondSlaves = value === 'none' ? [] : value.split(/\s+/);
  else if (key === 'bond-mode') i.bondMode = value;
  else if (key === 'vlan-raw-device') i.vlanRawDevice = value;
}

function maskBits(mask: string): number {
  return mask.split('.').reduce((bits, octet) => bits + (Number(octet) >>> 0).toString(2).replace(/0/g, '').length, 0);
}

/** `dir/*` → the directory's files in name order; run-parts naming rules are not applied (ifupdown2 sources every match). */
function expandGlob(fs: FileSystem, pattern: string): string[] {
  if (!pattern.includes('*')) return fs.isFile(pattern) ? [pattern] : [];
  const dir = pattern.slice(0, pattern.lastIndexOf('/')) || '/';
  const re = new RegExp(
    `^${pattern
      .slice(dir.length + 1)
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')}$`,
  );
  if (!fs.isDir(dir)) return [];
  return fs
    .list(dir)
    .filter((n) => re.test(n))
    .sort()
    .map((n) => `${dir}/${n}`)
    .filter((p) => fs.isFile(p));
}

/** A valid `a.b.c.d/n` address. */
export function validCidr(address: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(address);
  return !!m && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
}

/** The interfaces file of a fresh PVE install: vmbr0 over the first NIC holding the node's address (pve-docs "Default Configuration using a Bridge"). */
export function defaultInterfaces(ip: string): string {
  return `auto lo\niface lo inet loopback\n\niface eno1 inet manual\n\nauto vmbr0\niface vmbr0 inet static\n\taddress ${ip}/16\n\tgateway 10.0.0.1\n\tbridge-ports eno1\n\tbridge-stp off\n\tbridge-fd 0\n\nsource /etc/network/interfaces.d/*\n`;
}
