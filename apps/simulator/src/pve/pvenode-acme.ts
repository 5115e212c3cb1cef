import type { SimNode } from '../model/node';
import type { CommandContext } from '../shell/command';
import { out } from '../shell/command';
import { sleep } from '../shell/io';
import { canonicalJson } from '../util/text';
import { nodeAcmeConf, readPlugins, writePlugins, type AcmeConf, type AcmeDomainEntry, type AcmePlugin } from './acme-config';
import { die, isJsonFormat, paramError } from './util';

const CONFIG_ID_RE = /^[a-z][a-z0-9_-]+$/i;
const PLUGIN_TYPES = ['dns', 'standalone'];

/**
 * `pvenode acme plugin list|config|add|set|remove` (API2/ACMEPlugin.pm) over plugins.cfg. `add`
 * reads `--data <file>` and stores it base64url-encoded, as pvenode's param mapping does.
 */
export function acmePlugin(node: SimNode, ctx: CommandContext, args: string[], opts: Map<string, string>): number {
  const [verb, ...rest] = args;
  const { plugins } = readPlugins(node);
  switch (verb) {
    case 'list':
      return printPlugins(
        node,
        ctx,
        [...plugins].sort(([a], [b]) => (a < b ? -1 : 1)),
        opts,
      );
    case 'config': {
      const id = rest[0] ?? '';
      const plugin = plugins.get(id);
      if (!plugin) return die(ctx, `ACME plugin '${id}' not defined`);
      return printPlugins(node, ctx, [[id, plugin]], opts, true);
    }
    case 'add':
      return addPlugin(node, ctx, rest, opts, plugins);
    case 'set': {
      const id = rest[0] ?? '';
      const plugin = plugins.get(id);
      if (!plugin) return die(ctx, `ACME plugin ID '${id}' does not exist`);
      const props = pluginProps(ctx, opts);
      if (typeof props === 'number') return props;
      Object.assign(plugin.props, props);
      writePlugins(node, plugins);
      return 0;
    }
    case 'remove':
      plugins.delete(rest[0] ?? '');
      writePlugins(node, plugins);
      return 0;
  }
  return die(ctx, `unknown command 'pvenode acme plugin ${args.join(' ')}'`);
}

function addPlugin(
  node: SimNode,
  ctx: CommandContext,
  args: string[],
  opts: Map<string, string>,
  plugins: Map<string, AcmePlugin>,
): number {
  const [type = '', id = ''] = args;
  const usage = 'pvenode acme plugin add <type> <id> [OPTIONS]';
  if (!PLUGIN_TYPES.includes(type))
    return paramError(ctx, { type: `value '${type}' does not have a value in the enumeration '${PLUGIN_TYPES.join(', ')}'` }, usage);
  if (!CONFIG_ID_RE.test(id)) return paramError(ctx, { id: `invalid configuration ID '${id}'` }, usage);
  if (type === 'dns' && !opts.has('api')) return paramError(ctx, { api: 'property is missing and it is not optional' }, usage);
  const props = pluginProps(ctx, opts);
  if (typeof props === 'number') return props;
  if (plugins.has(id)) return die(ctx, `ACME plugin ID '${id}' already exists`);
  plugins.set(id, { type, props });
  writePlugins(node, plugins);
  return 0;
}

/** The plugin options of add/set; `--data` names a file of KEY=VAL lines, stored base64url-encoded. */
function pluginProps(ctx: CommandContext, opts: Map<string, string>): Record<string, string> | number {
  const props: Record<string, string> = {};
  for (const [key, value] of opts) {
    if (key === 'data') {
      let text: string;
      try {
        text = ctx.fs.readFile(value, ctx.cwd);
      } catch {
        return die(ctx, `unable to open file '${value}' - No such file or directory`);
      }
      props.data = Buffer.from(text).toString('base64url');
    } else if (key === 'api' && !/^[a-z0-9_]+$/.test(value)) {
      return paramError(
        ctx,
        { api: `value '${value}' does not have a value in the enumeration` },
        'pvenode acme plugin add <type> <id> [OPTIONS]',
      );
    } else if (key === 'validation-delay' && !(/^\d+$/.test(value) && Number(value) <= 172800)) {
      return paramError(
        ctx,
        { 'validation-delay': 'value must have a maximum value of 172800' },
        'pvenode acme plugin add <type> <id> [OPTIONS]',
      );
    } else if (['api', 'validation-delay', 'disable', 'nodes'].includes(key)) props[key] = value;
  }
  return props;
}

/** The API's objects (`plugin` = id, `digest`, numbers as numbers): JSON, or a bordered table as PVE's text format. */
function printPlugins(node: SimNode, ctx: CommandContext, list: [string, AcmePlugin][], opts: Map<string, string>, single = false): number {
  const { digest } = readPlugins(node);
  const rows = list.map(([id, p]) => {
    const row: Record<string, string | number> = { plugin: id, type: p.type, digest };
    for (const [k, v] of Object.entries(p.props)) row[k] = /^\d+$/.test(v) && k !== 'data' ? Number(v) : v;
    return row;
  });
  if (isJsonFormat(opts)) {
    const value = single ? rows[0] : rows;
    out(ctx, (opts.get('output-format') === 'json-pretty' ? JSON.stringify(value, null, 4) : canonicalJson(value)) + '\n');
    return 0;
  }
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))].sort();
  out(
    ctx,
    table(
      columns,
      rows.map((r) => columns.map((c) => String(r[c] ?? ''))),
    ),
  );
  return 0;
}

/** PVE's CLIFormatter border table: a header row, a double rule, then the rows. */
function table(columns: string[], rows: string[][]): string {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const rule = (l: string, m: string, r: string, f: string) => l + widths.map((w) => f.repeat(w + 2)).join(m) + r;
  const line = (cells: string[]) => '│ ' + cells.map((c, i) => c.padEnd(widths[i])).join(' │ ') + ' │';
  return [rule('┌', '┬', '┐', '─'), line(columns), rule('╞', '╪', '╡', '═'), ...rows.map(line), rule('└', '┴', '┘', '─')].join('\n') + '\n';
}

/** get_acme_conf before an order's task starts: the domains with their plugins, or PVE's message. */
export function orderConf(node: SimNode): AcmeConf | string {
  const conf = nodeAcmeConf(node);
  if (typeof conf === 'string') return conf;
  if (!conf.domains.length) return 'ACME domain list in node configuration is missing!';
  return conf;
}

/** A challenge's set-up lines: the standalone plugin's webserver, or a DNS plugin's TXT record and its delay. */
export async function setupChallenge(node: SimNode, ctx: CommandContext, entry: AcmeDomainEntry): Promise<void> {
  if (entry.plugin === 'standalone') {
    out(ctx, 'Setting up webserver\n');
    return;
  }
  out(ctx, `Add TXT record: _acme-challenge.${entry.alias ?? entry.domain}\n`);
  const delay = Number(readPlugins(node).plugins.get(entry.plugin)?.props['validation-delay'] ?? 30);
  if (delay > 0) {
    out(ctx, `Sleeping ${delay} seconds to wait for TXT record propagation\n`);
    // Milliseconds for seconds, like the order's other sleeps.
    await sleep(delay, ctx.signal);
  }
}

/** A DNS challenge's record is removed once validated; the standalone webserver just stops. */
export function teardownChallenge(ctx: CommandContext, entry: AcmeDomainEntry): void {
  if (entry.plugin !== 'standalone') out(ctx, `Remove TXT record: _acme-challenge.${entry.alias ?? entry.domain}\n`);
}
