import type { NodeProgram, SimNode } from '../model/node';
import type { CommandContext } from '../shell/command';
import { fail, out } from '../shell/command';
import { LinkState, links, reloadNetwork } from '../model/network';
import { armTransientTimer } from '../model/transient-timers';

/** `ifreload -a`, `ip [-j] [-br] [-4] addr|link [show [dev] NAME]`, `systemd-run --on-active=… [--unit NAME] CMD…`. */
export const networkPrograms: Record<string, NodeProgram> = {
  ifreload: (node, ctx) => {
    const args = ctx.argv.slice(1);
    if (!args.includes('-a') && !args.includes('--all'))
      return fail(ctx, 'error: no interfaces given: use -a to reload all auto interfaces', 1);
    const { messages, code } = reloadNetwork(node);
    if (messages.length) ctx.io.stderr.write(messages.map((m) => `${m}\n`).join(''));
    return code;
  },
  ip: (node, ctx) => ip(node, ctx),
  'systemd-run': (node, ctx) => systemdRun(node, ctx),
};

function ip(node: SimNode, ctx: CommandContext): number {
  const args = ctx.argv.slice(1);
  let json = false;
  let brief = false;
  let family: '4' | '6' | undefined;
  while (args[0]?.startsWith('-')) {
    const a = args.shift() as string;
    if (a === '-j' || a === '-json') json = true;
    else if (a === '-br' || a === '-brief') brief = true;
    else if (a === '-4' || a === '-6') family = a[1] as '4' | '6';
    else if (a === '-p' || a === '-pretty' || a === '-c') continue;
    else return fail(ctx, `Option "${a}" is unknown, try "ip -help".`, 255);
  }
  const [object = '', verb = 'show', ...rest] = args;
  const what = 'address'.startsWith(object) && object ? 'addr' : 'link'.startsWith(object) && object ? 'link' : undefined;
  if (!what) return fail(ctx, `Object "${object}" is unknown, try "ip help".`, 1);
  if (!['show', 'list', 'ls', 'sh', 's'].includes(verb)) return fail(ctx, `Command "${verb}" is unknown, try "ip ${what} help".`, 255);
  const devName = rest[0] === 'dev' ? rest[1] : rest[0];
  let shown = links(node);
  if (devName) {
    shown = shown.filter((l) => l.name === devName);
    if (!shown.length) return fail(ctx, `Device "${devName}" does not exist.`, 1);
  }
  const addrs = (l: LinkState): string[] => (family === '6' || what === 'link' ? [] : l.up ? l.addresses : []);
  if (json) out(ctx, `${JSON.stringify(shown.map((l) => jsonLink(l, addrs(l), what === 'addr')))}\n`);
  else if (brief)
    out(
      ctx,
      shown
        .map((l) => {
          const name = l.parent ? `${l.name}@${l.parent}` : l.name;
          if (what === 'link') return `${name.padEnd(16)} ${operstate(l).padEnd(14)} ${l.mac} <${flags(l).join(',')}> \n`;
          return `${name.padEnd(16)} ${operstate(l).padEnd(14)} ${addrs(l).join(' ')}${addrs(l).length ? ' ' : ''}\n`;
        })
        .join(''),
    );
  else out(ctx, shown.map((l) => fullLink(l, addrs(l), what === 'addr')).join(''));
  return 0;
}

const operstate = (l: LinkState): string => (l.kind === 'loopback' ? 'UNKNOWN' : l.up && l.carrier ? 'UP' : 'DOWN');

function flags(l: LinkState): string[] {
  if (l.kind === 'loopback') return ['LOOPBACK', 'UP', 'LOWER_UP'];
  const f = ['BROADCAST', 'MULTICAST'];
  if (l.kind === 'bond') f.push('MASTER');
  if (l.master?.startsWith('bond')) f.push('SLAVE');
  if (l.up) f.push('UP');
  if (l.up && l.carrier) f.push('LOWER_UP');
  if (l.up && !l.carrier) f.unshift('NO-CARRIER');
  return f;
}

function jsonLink(l: LinkState, addresses: string[], withAddr: boolean): Record<string, unknown> {
  const link: Record<string, unknown> = {
    ifindex: l.index,
    ...(l.parent ? { link: l.parent } : {}),
    ifname: l.name,
    flags: flags(l),
    mtu: l.kind === 'loopback' ? 65536 : 1500,
    qdisc: l.kind === 'ether' ? 'mq' : 'noqueue',
    ...(l.master ? { master: l.master } : {}),
    operstate: operstate(l),
    group: 'default',
    txqlen: 1000,
    link_type: l.kind === 'loopback' ? 'loopback' : 'ether',
    address: l.mac,
    broadcast: l.kind === 'loopback' ? '00:00:00:00:00:00' : 'ff:ff:ff:ff:ff:ff',
  };
  if (withAddr)
    link.addr_info = addresses.map((a) => {
      const [local, prefix] = a.split('/');
      return {
        family: 'inet',
        local,
        prefixlen: Number(prefix),
        scope: l.kind === 'loopback' ? 'host' : 'global',
        label: l.name,
        valid_life_time: 4294967295,
        preferred_life_time: 4294967295,
      };
    });
  return link;
}

function fullLink(l: LinkState, addresses: string[], withAddr: boolean): string {
  const name = l.parent ? `${l.name}@${l.parent}` : l.name;
  const master = l.master ? ` master ${l.master}` : '';
  const qdisc = l.kind === 'ether' ? 'mq' : 'noqueue';
  let text = `${l.index}: ${name}: <${flags(l).join(',')}> mtu ${l.kind === 'loopback' ? 65536 : 1500} qdisc ${qdisc}${master} state ${operstate(l)} group default qlen 1000\n`;
  text +=
    l.kind === 'loopback'
      ? '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n'
      : `    link/ether ${l.mac} brd ff:ff:ff:ff:ff:ff\n`;
  if (withAddr)
    for (const a of addresses)
      text += `    inet ${a} scope ${l.kind === 'loopback' ? 'host' : 'global'} ${l.name}\n       valid_lft forever preferred_lft forever\n`;
  return text;
}

/** `systemd-run --on-active=SECONDS [--unit NAME] [--] CMD…`: a transient timer and the service it starts. */
function systemdRun(node: SimNode, ctx: CommandContext): number {
  const args = ctx.argv.slice(1);
  let seconds: number | undefined;
  let unit: string | undefined;
  let i = 0;
  for (; i < args.length && args[i].startsWith('-'); i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    const [key, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => inline ?? args.at(++i) ?? '';
    if (key === '--on-active') {
      const raw = value();
      seconds = timespan(raw);
      if (seconds === undefined) return fail(ctx, `Failed to parse timer value: ${raw}`, 1);
    } else if (key === '--unit' || key === '-u') unit = value();
    else if (['--description', '--property', '-p', '--timer-property', '--setenv', '-E'].includes(key)) value();
    else if (!['--no-block', '--quiet', '-q', '--collect', '-G', '--remain-after-exit', '-r'].includes(key))
      return fail(ctx, `systemd-run: unrecognized option '${a}'`, 1);
  }
  const argv = args.slice(i);
  if (!argv.length) return fail(ctx, 'Command line to execute required.', 1);
  if (seconds === undefined) return fail(ctx, 'This simulator runs systemd-run only with --on-active=SECONDS.', 1);
  const base = (unit ?? `run-u${node.transientTimers.size + node.counters.execs + 100}`).replace(/\.(service|timer)$/, '');
  if (node.transientTimers.has(`${base}.timer`))
    return fail(ctx, `Failed to start transient timer unit: Unit ${base}.timer was already loaded or has a fragment file.`, 1);
  armTransientTimer(node, `${base}.timer`, seconds, argv);
  ctx.io.stderr.write(`Running timer as unit: ${base}.timer\nWill run service as unit: ${base}.service\n`);
  return 0;
}

/** systemd time spans: `120`, `120s`, `2min`, `1h 30min`. */
function timespan(text: string): number | undefined {
  const units: Partial<Record<string, number>> = {
    '': 1,
    s: 1,
    sec: 1,
    second: 1,
    seconds: 1,
    m: 60,
    min: 60,
    minute: 60,
    minutes: 60,
    h: 3600,
    hr: 3600,
    hour: 3600,
    hours: 3600,
  };
  let total = 0;
  const parts = text.trim().split(/\s+/);
  for (const p of parts) {
    const m = /^(\d+(?:\.\d+)?)([a-z]*)$/.exec(p);
    const factor = m ? units[m[2]] : undefined;
    if (!m || factor === undefined) return undefined;
    total += Number(m[1]) * factor;
  }
  return total;
}
