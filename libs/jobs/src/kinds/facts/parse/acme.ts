import type { AcmeDomainConfig, AcmeFacts, AcmePluginFacts } from '../../../node-facts';
import type { FactSections } from '../facts-script';
import { isRecord, parseJson } from './json';

/** PVE reads `acmedomain0` to `acmedomain5` (NodeConfig.pm's $MAXDOMAINS = 5). */
const ACME_DOMAIN_KEYS = [0, 1, 2, 3, 4, 5].map((i) => `acmedomain${i}`);
/** The HTTP-01 plugin PVE always has (plugins.cfg gains it when missing). */
export const STANDALONE_PLUGIN = 'standalone';

/**
 * ACME settings from the node config (`pvenode config get`), `pvenode acme account list` and
 * `pvenode acme plugin list`. Null without PVE (all empty). Domains as PVE reads them
 * (NodeConfig.pm get_acme_conf): the `acme: domains=a;b` list (plugin `standalone`), then
 * `acmedomain0..5` in index order (plugin `standalone` unless named), lower-cased; a domain listed
 * twice counts once (PVE would refuse such a config). PVE uses the account `default` when `acme:`
 * names none; we say so only when a domain is configured, so `account` stays null on a node without
 * any ACME setup.
 */
export function parseAcme(s: FactSections): AcmeFacts | null {
  if (s.nodeConfig.trim() === '' && s.acmeAccounts.trim() === '' && s.acmePlugins.trim() === '') return null;
  const { account, domainConfig } = readAcmeConfig(s.nodeConfig);
  return {
    account,
    domains: domainConfig.map((e) => e.domain),
    accounts: s.acmeAccounts
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== ''),
    domainConfig,
    plugins: parsePluginList(s.acmePlugins),
  };
}

/** The ACME account and domain entries of a node config's text (`pvenode config get`), as parseAcme reads them. */
export function readAcmeConfig(text: string): { account: string | null; domainConfig: AcmeDomainConfig[] } {
  const config = readNodeConfig(text);
  const acme = parsePropertyString(config.get('acme') ?? '', 'account');
  const entries: AcmeDomainConfig[] = (acme.get('domains') ?? '')
    .split(';')
    .map((domain) => ({ domain, plugin: STANDALONE_PLUGIN, key: 'acme' }));
  for (const key of ACME_DOMAIN_KEYS) {
    const value = config.get(key);
    if (value === undefined) continue;
    const props = parsePropertyString(value, 'domain');
    const alias = props.get('alias');
    entries.push({ domain: props.get('domain') ?? '', plugin: props.get('plugin') || STANDALONE_PLUGIN, ...(alias ? { alias } : {}), key });
  }
  const seen = new Set<string>();
  const domainConfig = entries
    .map((e) => ({ ...e, domain: e.domain.trim().toLowerCase() }))
    .filter((e) => e.domain !== '' && !seen.has(e.domain) && seen.add(e.domain));
  return { account: acme.get('account') || (domainConfig.length > 0 ? 'default' : null), domainConfig };
}

/**
 * `pvenode acme plugin list --output-format json`: an array of `{plugin, type, api?, data?, digest…}`;
 * only id, type and api are kept (the credentials were blanked on the node anyway). Null when the
 * output is not that array (pvenode failed or is missing). Sorted by id.
 */
export function parsePluginList(text: string): AcmePluginFacts[] | null {
  const list = parseJson(text);
  if (!Array.isArray(list)) return null;
  const plugins: AcmePluginFacts[] = [];
  for (const item of list) {
    if (!isRecord(item) || typeof item.plugin !== 'string') continue;
    const type = typeof item.type === 'string' ? item.type : '';
    plugins.push({ id: item.plugin, type, ...(typeof item.api === 'string' ? { api: item.api } : {}) });
  }
  return plugins.sort((a, b) => a.id.localeCompare(b.id));
}

/** `key: value` lines; `#` lines are the node description. A repeated key: the last one wins. */
function readNodeConfig(text: string): Map<string, string> {
  const config = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([a-z][a-z0-9_-]*):\s*(.*?)\s*$/i.exec(line);
    if (m) config.set(m[1], m[2]);
  }
  return config;
}

/** PVE property string `k=v,k=v`; a bare item is the value of `defaultKey` (e.g. `pve1.example.com,plugin=dns`). */
function parsePropertyString(text: string, defaultKey: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const item of text.split(',')) {
    const part = item.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) props.set(defaultKey, part);
    else props.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return props;
}
