import { createHash } from 'node:crypto';
import type { SimNode } from '../model/node';

/**
 * The node's ACME set-up as PVE reads it: plugins.cfg (PVE::ACME::Challenge's section config, which
 * always holds `standalone`) and the node config's `acme`/`acmedomain0..5` (NodeConfig.pm
 * get_acme_conf), with PVE's error messages.
 */

export const PLUGINS_CFG = '/etc/pve/priv/acme/plugins.cfg';
export const NODE_CONFIG = '/etc/pve/local/config';
export const ACME_DOMAIN_KEYS = [0, 1, 2, 3, 4, 5].map((i) => `acmedomain${i}`);

/** One plugins.cfg section: its type and properties (`api`, `data` base64url, `validation-delay`…). */
export interface AcmePlugin {
  type: string;
  props: Record<string, string>;
}

export interface AcmeDomainEntry {
  domain: string;
  plugin: string;
  alias?: string;
  /** `acme` or `acmedomainN`. */
  key: string;
}

export interface AcmeConf {
  account: string;
  domains: AcmeDomainEntry[];
}

/** plugins.cfg's sections by id, `standalone` added when missing as PVE's parser does; and the file's digest. */
export function readPlugins(node: SimNode): { plugins: Map<string, AcmePlugin>; digest: string } {
  const text = node.fs.tryRead(PLUGINS_CFG) ?? '';
  const plugins = new Map<string, AcmePlugin>();
  let current: AcmePlugin | undefined;
  for (const line of text.split('\n')) {
    const header = /^(\w+):\s*(\S+)\s*$/.exec(line);
    if (header) {
      current = { type: header[1], props: {} };
      plugins.set(header[2], current);
      continue;
    }
    const prop = /^\s+(\S+)\s+(.*?)\s*$/.exec(line);
    if (prop && current) current.props[prop[1]] = prop[2];
  }
  if (plugins.get('standalone')?.type !== 'standalone') plugins.set('standalone', { type: 'standalone', props: {} });
  return { plugins, digest: createHash('sha1').update(text).digest('hex') };
}

/** Writes plugins.cfg as PVE's SectionConfig does: `type: id`, tab-indented properties, a blank line between. */
export function writePlugins(node: SimNode, plugins: Map<string, AcmePlugin>): void {
  const sections = [...plugins].map(
    ([id, p]) =>
      `${p.type}: ${id}\n${Object.entries(p.props)
        .map(([k, v]) => `\t${k} ${v}\n`)
        .join('')}`,
  );
  node.fs.writeFile(PLUGINS_CFG, sections.join('\n'), { mode: 0o600 });
}

/** `key: value` lines of the node config (description comments skipped). */
export function readNodeConfig(text: string): Map<string, string> {
  const config = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([a-z][a-z0-9_-]*):\s*(.*?)\s*$/i.exec(line);
    if (m) config.set(m[1], m[2]);
  }
  return config;
}

/** A PVE property string; a bare item is the `defaultKey`'s value. */
export function propertyString(text: string, defaultKey: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) props.set(defaultKey, part.trim());
    else props.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return props;
}

/**
 * get_acme_conf: the `acme` line's domains (plugin standalone), then acmedomain0..5; dies (returns
 * the message) on a domain listed twice or a plugin plugins.cfg does not have.
 */
export function acmeConf(node: SimNode, config: Map<string, string>): AcmeConf | string {
  const acme = propertyString(config.get('acme') ?? '', 'account');
  const domains: AcmeDomainEntry[] = [];
  for (const raw of (acme.get('domains') ?? '').split(';').filter(Boolean)) {
    const domain = raw.toLowerCase();
    if (domains.some((d) => d.domain === domain)) return `duplicate domain '${domain}' in ACME config properties`;
    domains.push({ domain, plugin: 'standalone', key: 'acme' });
  }
  const { plugins } = readPlugins(node);
  for (const key of ACME_DOMAIN_KEYS) {
    const value = config.get(key);
    if (value === undefined) continue;
    const props = propertyString(value, 'domain');
    const domain = (props.get('domain') ?? '').toLowerCase();
    const exists = domains.find((d) => d.domain === domain);
    if (exists) return `duplicate domain '${domain}' in ACME config properties '${key}' and '${exists.key}'`;
    const plugin = props.get('plugin') ?? 'standalone';
    if (plugin !== 'standalone' && !plugins.has(plugin)) return `plugin '${plugin}' for domain '${domain}' not found!`;
    const alias = props.get('alias');
    domains.push({ domain, plugin, key, ...(alias ? { alias } : {}) });
  }
  return { account: acme.get('account') ?? 'default', domains };
}

/** The node's ACME config as the order reads it (before its task starts). */
export function nodeAcmeConf(node: SimNode): AcmeConf | string {
  return acmeConf(node, readNodeConfig(node.fs.tryRead(NODE_CONFIG) ?? ''));
}
