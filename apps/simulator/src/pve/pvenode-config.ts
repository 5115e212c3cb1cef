import type { SimNode } from '../model/node';
import type { CommandContext } from '../shell/command';
import { out } from '../shell/command';
import { acmeConf, ACME_DOMAIN_KEYS, NODE_CONFIG, propertyString, readNodeConfig } from './acme-config';
import { die, paramError } from './util';

const USAGE = 'pvenode config set  [OPTIONS]';
const DOMAIN_RE = /^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)+$/i;
const ALIAS_RE = /^[a-z0-9_][a-z0-9_-]*(\.[a-z0-9_][a-z0-9_-]*)+$/i;
const CONFIG_ID_RE = /^[a-z][a-z0-9_-]+$/i;
const PLAIN_OPTIONS = new Set(['description', 'wakeonlan', 'startall-onboot-delay', 'ballooning-target']);

/** `pvenode config get|set` (NodeConfig.pm): set, then delete, then get_acme_conf over the result. */
export function nodeConfig(node: SimNode, ctx: CommandContext, sub: string | undefined, opts: Map<string, string>): number {
  const text = node.fs.tryRead(NODE_CONFIG) ?? '';
  if (sub === 'get') {
    out(ctx, text);
    return 0;
  }
  if (sub !== 'set') return die(ctx, `unknown command 'pvenode config ${sub ?? ''}'`);
  const errors: Record<string, string> = {};
  for (const [key, value] of opts) {
    const problem = optionProblem(key, value);
    if (problem) errors[key] = problem;
  }
  if (Object.keys(errors).length) return paramError(ctx, errors, USAGE);

  const description = text
    .split('\n')
    .filter((l) => l.startsWith('#'))
    .map((l) => l.slice(1));
  const config = readNodeConfig(text);
  for (const [key, value] of opts) {
    if (key === 'delete' || key === 'digest') continue;
    if (key === 'description') description.splice(0, description.length, ...value.split('\n'));
    else config.set(key, value);
  }
  for (const key of (opts.get('delete') ?? '').split(/[,;\s]+/).filter(Boolean)) {
    if (key === 'description') description.length = 0;
    config.delete(key);
  }
  const conf = acmeConf(node, config);
  if (typeof conf === 'string') return die(ctx, conf);
  const lines = [
    ...description.filter(Boolean).map((l) => `#${l}`),
    ...[...config].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}: ${v}`),
  ];
  node.fs.writeFile(NODE_CONFIG, lines.map((l) => `${l}\n`).join(''));
  return 0;
}

/** PVE's parameter check of one option; undefined when valid. */
function optionProblem(key: string, value: string): string | undefined {
  if (key === 'acme') return acmeProblem(value);
  if (ACME_DOMAIN_KEYS.includes(key)) return acmeDomainProblem(key, value);
  if (key === 'delete')
    return value.split(/[,;\s]+/).every((k) => k === '' || CONFIG_ID_RE.test(k))
      ? undefined
      : 'invalid format - value does not look like a valid config id list';
  if (PLAIN_OPTIONS.has(key) || key === 'digest') return undefined;
  return 'property is not defined in schema and the schema does not allow additional properties';
}

function acmeProblem(value: string): string | undefined {
  const props = propertyString(value, 'account');
  for (const k of props.keys())
    if (k !== 'account' && k !== 'domains')
      return `invalid format - format error\nacme.${k}: property is not defined in schema and the schema does not allow additional properties`;
  const account = props.get('account');
  if (account !== undefined && !CONFIG_ID_RE.test(account)) return 'invalid format - format error\nacme.account: invalid configuration ID';
  const bad = props
    .get('domains')
    ?.split(';')
    .find((d) => !DOMAIN_RE.test(d));
  if (bad !== undefined) return `invalid format - format error\nacme.domains: value does not look like a valid domain name: ${bad}`;
  return undefined;
}

function acmeDomainProblem(key: string, value: string): string | undefined {
  const props = propertyString(value, 'domain');
  for (const k of props.keys())
    if (!['domain', 'plugin', 'alias'].includes(k))
      return `invalid format - format error\n${key}.${k}: property is not defined in schema and the schema does not allow additional properties`;
  const domain = props.get('domain');
  if (domain === undefined) return `invalid format - format error\n${key}.domain: property is missing and it is not optional`;
  if (!DOMAIN_RE.test(domain))
    return `invalid format - format error\n${key}.domain: value '${domain}' does not look like a valid domain name!`;
  const plugin = props.get('plugin');
  if (plugin !== undefined && !CONFIG_ID_RE.test(plugin))
    return `invalid format - format error\n${key}.plugin: invalid configuration ID '${plugin}'`;
  const alias = props.get('alias');
  if (alias !== undefined && !ALIAS_RE.test(alias))
    return `invalid format - format error\n${key}.alias: value '${alias}' does not look like a valid alias name!`;
  return undefined;
}
