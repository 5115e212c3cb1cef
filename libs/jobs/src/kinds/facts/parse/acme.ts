import type { AcmeFacts } from '../../../node-facts';
import type { FactSections } from '../facts-script';

/**
 * ACME settings from the node config (`/etc/pve/local/config`) and `pvenode acme account list`.
 * Null without PVE (both empty). Domains as PVE reads them (NodeConfig.pm get_acme_conf): the
 * `acme: domains=a;b` list, then `acmedomain0..N` in index order, lower-cased, without duplicates.
 * PVE uses the account `default` when `acme:` names none; we say so only when a domain is configured,
 * so `account` stays null on a node without any ACME setup.
 */
export function parseAcme(s: FactSections): AcmeFacts | null {
  if (s.nodeConfig.trim() === '' && s.acmeAccounts.trim() === '') return null;
  const config = readNodeConfig(s.nodeConfig);
  const acme = parsePropertyString(config.get('acme') ?? '', 'account');
  const domainKeys = [...config.keys()]
    .map((key) => ({ key, index: /^acmedomain(\d+)$/.exec(key)?.[1] }))
    .filter((k): k is { key: string; index: string } => k.index !== undefined)
    .sort((a, b) => Number(a.index) - Number(b.index));
  const domains = [
    ...(acme.get('domains') ?? '').split(';'),
    ...domainKeys.map(({ key }) => parsePropertyString(config.get(key) ?? '', 'domain').get('domain') ?? ''),
  ]
    .map((d) => d.trim().toLowerCase())
    .filter((d) => d !== '');
  const unique = [...new Set(domains)];
  return {
    account: acme.get('account') || (unique.length > 0 ? 'default' : null),
    domains: unique,
    accounts: s.acmeAccounts
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== ''),
  };
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
