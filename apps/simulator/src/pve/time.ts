import type { NodeProgram, SimNode } from '../model/node';
import type { CommandContext } from '../shell/command';
import { out, fail } from '../shell/command';
import { sleep } from '../shell/io';
import { loadChrony, logSelected, selectedSource, sourceRows, timesyncdInUse, timesyncdServer } from '../model/chrony';
import { unitState } from '../model/services';
import { Journal } from '../model/journal';
import { ctime, parseSince } from '../util/time';
import { ipFor } from '../model/chrony';

/** chronyc, timedatectl and journalctl. */
export const timePrograms: Record<string, NodeProgram> = {
  chronyc: (node, ctx) => (node.timesync === 'chrony' ? chronyc(node, ctx) : notFound(ctx)),
  timedatectl,
  journalctl,
};

const notFound = (ctx: CommandContext): number => fail(ctx, `bash: ${ctx.argv[0]}: command not found`, 127);

/** chrony's `%S` style: signed value with a unit, right-aligned. */
function fmtNs(ns: number, signed: boolean, width: number): string {
  const abs = Math.abs(ns);
  const [v, unit] = abs >= 1e9 ? [abs / 1e9, 's'] : abs >= 1e6 ? [abs / 1e6, 'ms'] : abs >= 1e3 ? [abs / 1e3, 'us'] : [abs, 'ns'];
  const sign = signed ? (ns < 0 ? '-' : '+') : '';
  return `${sign}${Math.round(v)}${unit}`.padStart(width, ' ');
}

async function chronyc(node: SimNode, ctx: CommandContext): Promise<number> {
  const args = ctx.argv.slice(1).filter((a) => !['-n', '-N', '-c', '-m', '-h'].includes(a));
  const [cmd, ...rest] = args;
  if (unitState(node, 'chrony') !== 'active') return fail(ctx, '506 Cannot talk to daemon', 1);
  switch (cmd) {
    case 'sources': {
      let text =
        'MS Name/IP address         Stratum Poll Reach LastRx Last sample               \n===============================================================================\n';
      for (const r of sourceRows(node)) {
        // chrony client.c format_name: -n addresses; -N names as configured (a pool's servers show the
        // pool), cut only by its 50-byte buffer; else reverse DNS, cut to 25 characters ending in `>`.
        const dns = r.name.length > 25 ? `${r.name.slice(0, 24)}>` : r.name;
        const name = (ctx.argv.includes('-n') ? r.ip : ctx.argv.includes('-N') ? r.configured.slice(0, 49) : dns).padEnd(27);
        const lastRx = (r.lastRx === undefined ? '-' : String(r.lastRx)).padStart(4);
        text += `${r.mode}${r.state} ${name}  ${String(r.stratum).padStart(2)}  ${String(r.poll).padStart(2)}   ${r.reach.toString(8).padStart(3)}  ${lastRx}  ${fmtNs(r.offsetNs, true, 7)}[${fmtNs(Math.round(r.offsetNs * 0.6), true, 7)}] +/- ${fmtNs(r.errorNs, false, 6)}\n`;
      }
      out(ctx, text);
      return 0;
    }
    case 'tracking':
      out(ctx, tracking(node));
      return 0;
    case 'waitsync':
      return waitsync(node, ctx, rest);
    case 'reload':
      if (rest[0] !== 'sources') return fail(ctx, 'Unrecognized command', 1);
      loadChrony(node, 'sources');
      logSelected(node);
      out(ctx, '200 OK\n');
      return 0;
    case 'makestep':
    case 'burst':
    case 'online':
    case 'offline':
      out(ctx, '200 OK\n');
      return 0;
    case 'activity': {
      const n = sourceRows(node).length;
      out(
        ctx,
        `${n} sources online\n0 sources offline\n0 sources doing burst (return to online)\n0 sources doing burst (return to offline)\n0 sources with unknown address\n`,
      );
      return 0;
    }
    default:
      return fail(ctx, 'Unrecognized command', 1);
  }
}

function tracking(node: SimNode): string {
  const sel = node.clockSynced() ? selectedSource(node) : undefined;
  const row = (label: string, value: string): string => `${label.padEnd(15)} : ${value}\n`;
  if (!sel) {
    return (
      row('Reference ID', '00000000 ()') +
      row('Stratum', '0') +
      row('Ref time (UTC)', 'Thu Jan 01 00:00:00 1970') +
      row('System time', '0.000000000 seconds fast of NTP time') +
      row('Last offset', '+0.000000000 seconds') +
      row('RMS offset', '0.000000000 seconds') +
      row('Frequency', '0.000 ppm slow') +
      row('Residual freq', '+0.000 ppm') +
      row('Skew', '0.000 ppm') +
      row('Root delay', '1.000000000 seconds') +
      row('Root dispersion', '1.000000000 seconds') +
      row('Update interval', '0.0 seconds') +
      row('Leap status', 'Not synchronised')
    );
  }
  const refId = sel.ip
    .split('.')
    .map((p) => Number(p).toString(16).toUpperCase().padStart(2, '0'))
    .join('');
  return (
    row('Reference ID', `${refId} (${sel.name})`) +
    row('Stratum', String(sel.stratum + 1)) +
    row(
      'Ref time (UTC)',
      ctime(node.sim.now() - 64_000).replace(/^(\w+ \w+) +(\d+)/, (_, a: string, d: string) => `${a} ${d.padStart(2, '0')}`),
    ) +
    row('System time', '0.000748069 seconds slow of NTP time') +
    row('Last offset', '-0.000424814 seconds') +
    row('RMS offset', '0.009931661 seconds') +
    row('Frequency', '3.588 ppm fast') +
    row('Residual freq', '+0.001 ppm') +
    row('Skew', '0.012 ppm') +
    row('Root delay', '0.012345678 seconds') +
    row('Root dispersion', '0.001234567 seconds') +
    row('Update interval', '64.2 seconds') +
    row('Leap status', 'Normal')
  );
}

/** `chronyc waitsync [tries [max-correction [max-skew [interval]]]]`: exit 0 once synced, 1 after the last try. */
async function waitsync(node: SimNode, ctx: CommandContext, args: string[]): Promise<number> {
  const tries = Number(args[0] ?? 0) || Infinity;
  const intervalS = Number(args[3] ?? 10);
  const intervalMs = node.sim.options.waitsyncIntervalMs ?? Math.min(1000, intervalS * 1000);
  for (let i = 1; ; i++) {
    const sel = node.clockSynced() ? selectedSource(node) : undefined;
    const refId = sel
      ? sel.ip
          .split('.')
          .map((p) => Number(p).toString(16).toUpperCase().padStart(2, '0'))
          .join('')
      : '00000000';
    out(ctx, `try: ${i}, refid: ${refId}, correction: ${sel ? '0.000012345' : '0.000000000'}, skew: ${sel ? '0.012' : '0.000'}\n`);
    if (sel) return 0;
    if (i >= tries) return 1;
    await sleep(intervalMs, ctx.signal);
  }
}

function timedatectl(node: SimNode, ctx: CommandContext): number {
  const args = ctx.argv.slice(1);
  const synced = node.clockSynced();
  const verb = args.find((a) => !a.startsWith('-')) ?? 'status';
  const ntpActive = unitState(node, node.timesync === 'chrony' ? 'chrony' : 'systemd-timesyncd') === 'active';
  if (verb === 'show') {
    const props: Record<string, string> = {
      Timezone: 'UTC',
      LocalRTC: 'no',
      CanNTP: 'yes',
      NTP: ntpActive ? 'yes' : 'no',
      NTPSynchronized: synced ? 'yes' : 'no',
      TimeUSec: new Date(node.sim.now()).toUTCString(),
      RTCTimeUSec: new Date(node.sim.now()).toUTCString(),
    };
    const wanted = requestedProperties(args) ?? Object.keys(props);
    const valueOnly = args.includes('--value');
    out(
      ctx,
      wanted
        .filter((k) => k in props)
        .map((k) => (valueOnly ? props[k] : `${k}=${props[k]}`) + '\n')
        .join(''),
    );
    return 0;
  }
  if (verb === 'status') {
    const now = new Date(node.sim.now());
    out(
      ctx,
      `               Local time: ${now.toUTCString().replace('GMT', 'UTC')}\n           Universal time: ${now.toUTCString().replace('GMT', 'UTC')}\n                 RTC time: ${now.toUTCString().replace(' GMT', '')}\n                Time zone: Etc/UTC (UTC, +0000)\nSystem clock synchronized: ${synced ? 'yes' : 'no'}\n              NTP service: ${ntpActive ? 'active' : 'inactive'}\n          RTC in local TZ: no\n`,
    );
    return 0;
  }
  if (verb === 'show-timesync') return showTimesync(node, ctx, args);
  if (verb === 'timesync-status' && node.timesync === 'timesyncd') {
    const server = timesyncdServer(node) ?? '';
    out(
      ctx,
      `       Server: ${ipFor(server)} (${server})\nPoll interval: 34min 8s (min: 32s; max 34min 8s)\n         Leap: ${synced ? 'normal' : 'not synchronized'}\n`,
    );
    return 0;
  }
  if (verb === 'set-ntp' || verb === 'set-timezone') return 0;
  return fail(ctx, `Unknown command verb ${verb}.`);
}

/** `-p A -p B`, `-p A,B`, `--property=A`: the properties asked for, undefined for all. */
function requestedProperties(args: string[]): string[] | undefined {
  const wanted: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-p' || a === '--property') wanted.push(...(args[++i] ?? '').split(','));
    else if (a.startsWith('--property=')) wanted.push(...a.slice(11).split(','));
    else if (a.startsWith('-p') && a.length > 2) wanted.push(...a.slice(2).split(','));
  }
  return wanted.length ? wanted : undefined;
}

/** `timedatectl show-timesync`: timesyncd's D-Bus properties; the servers it loaded at its last start. */
function showTimesync(node: SimNode, ctx: CommandContext, args: string[]): number {
  if (node.timesync !== 'timesyncd' || unitState(node, 'systemd-timesyncd') !== 'active') {
    return fail(ctx, 'Failed to query server: Unit dbus-org.freedesktop.timesync1.service not found.', 1);
  }
  const { ntp, fallback } = timesyncdInUse(node);
  const server = node.clockSynced() ? timesyncdServer(node) : undefined;
  const props: Record<string, string> = {
    LinkNTPServers: '',
    SystemNTPServers: ntp.join(' '),
    FallbackNTPServers: fallback.join(' '),
    ServerName: server ?? '',
    ServerAddress: server ? ipFor(server) : '',
    RootDistanceMaxUSec: '5s',
    PollIntervalMinUSec: '32s',
    PollIntervalMaxUSec: '34min 8s',
  };
  const wanted = requestedProperties(args) ?? Object.keys(props);
  const valueOnly = args.includes('--value');
  out(
    ctx,
    wanted
      .filter((k) => k in props)
      .map((k) => (valueOnly ? props[k] : `${k}=${props[k]}`) + '\n')
      .join(''),
  );
  return 0;
}

function journalctl(node: SimNode, ctx: CommandContext): number {
  const args = ctx.argv.slice(1);
  const units: string[] = [];
  let since: number | undefined;
  let lines: number | undefined;
  let cat = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const val = (): string => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : (args[++i] ?? ''));
    if (a === '-u' || a.startsWith('--unit'))
      units.push(
        val()
          .replace(/\.service$/, '')
          .replace(/^chronyd$/, 'chrony'),
      );
    else if (a.startsWith('-u') && a.length > 2) units.push(a.slice(2).replace(/\.service$/, ''));
    else if (a === '-S' || a.startsWith('--since')) {
      const v = val();
      since = parseSince(v, node.sim.now());
      if (since === undefined) return fail(ctx, `Failed to parse timestamp: ${v}`);
    } else if (a === '-n' || a.startsWith('--lines')) lines = Number(val());
    else if (a === '-o' || a.startsWith('--output')) cat = val() === 'cat';
  }
  let entries = node.journal.query(units, since);
  if (lines !== undefined) entries = entries.slice(-lines);
  if (!entries.length) {
    out(ctx, '-- No entries --\n');
    return 0;
  }
  out(ctx, entries.map((e) => (cat ? e.message : Journal.format(e, node.name)) + '\n').join(''));
  return 0;
}
