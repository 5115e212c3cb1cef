import type { NodeProgram, SimNode } from '../model/node';
import type { CommandContext } from '../shell/command';
import { out, fail } from '../shell/command';
import { knownUnits, unitName, unitState } from '../model/services';
import { loadChrony, logChronyStart, logSelected } from '../model/chrony';
import { rebootNow } from './boot';
import { cancelTransientTimer } from '../model/transient-timers';
import { pveproxyReloaded } from '../model/pveproxy-tls';

/** systemctl: is-active, is-enabled, status, start/stop/restart/reload, reboot. */
export const systemctlPrograms: Record<string, NodeProgram> = {
  systemctl,
  service: (node, ctx) => {
    const unit = ctx.argv.at(1);
    const action = ctx.argv.at(2);
    return systemctl(node, { ...ctx, argv: ['systemctl', action ?? 'status', unit ?? ''] });
  },
};

function systemctl(node: SimNode, ctx: CommandContext): number {
  const args = ctx.argv
    .slice(1)
    .filter((a) => !['--no-pager', '--no-block', '--now', '-l', '--full', '--no-legend', '--plain'].includes(a));
  const quiet = args.includes('-q') || args.includes('--quiet');
  const words = args.filter((a) => a !== '-q' && a !== '--quiet');
  const verb = words.at(0);
  const units = words.slice(1);
  switch (verb) {
    case 'is-active':
    case 'is-failed':
      return isActive(node, ctx, units, quiet, verb === 'is-failed');
    case 'is-enabled': {
      let status = 1;
      for (const u of units) {
        const found = unitState(node, u) !== undefined;
        if (found) status = 0;
        if (!quiet) out(ctx, found ? 'enabled\n' : '');
        if (!found && !quiet) ctx.io.stderr.write(`Failed to get unit file state for ${unitName(u)}.service: No such file or directory\n`);
      }
      return status;
    }
    case 'start':
    case 'stop':
    case 'restart':
    case 'reload':
    case 'try-restart':
    case 'reload-or-restart':
    case 'try-reload-or-restart':
    case 'enable':
    case 'disable':
      return control(node, ctx, verb, units);
    case 'daemon-reload':
    case 'reset-failed':
      return 0;
    case 'status':
      return status(node, ctx, units);
    case 'reboot':
      return rebootNow(node, ctx);
    case 'list-units':
      out(
        ctx,
        knownUnits(node)
          .map((u) => `${u}.service loaded active running ${u}\n`)
          .join(''),
      );
      return 0;
    default:
      return fail(ctx, `Unknown command verb '${verb ?? ''}'.`, 1);
  }
}

/** One line per unit in argument order; exit 0 if any is active (pve-outputs §8). */
function isActive(node: SimNode, ctx: CommandContext, units: string[], quiet: boolean, failedMode: boolean): number {
  let anyActive = false;
  let allMissing = true;
  let text = '';
  for (const u of units) {
    const state = unitState(node, u);
    if (state) allMissing = false;
    const shown = state ?? 'inactive';
    if (failedMode ? shown === 'failed' : shown === 'active' || shown === 'reloading') anyActive = true;
    text += `${shown}\n`;
  }
  if (!quiet) out(ctx, text);
  if (anyActive) return 0;
  if (failedMode) return 1;
  // systemd >= 253 (trixie) exits 4 when every named unit is missing.
  return allMissing && node.debianMajor >= 13 ? 4 : 3;
}

function control(node: SimNode, ctx: CommandContext, verb: string, units: string[]): number {
  if (!units.length) return fail(ctx, `Too few arguments.`);
  for (const raw of units) {
    const name = unitName(raw);
    if (verb === 'stop' && name.endsWith('.timer')) {
      if (cancelTransientTimer(node, name)) continue;
      if (unitState(node, raw) === undefined) return fail(ctx, `Failed to stop ${name}: Unit ${name} not loaded.`, 5);
    }
    if (unitState(node, raw) === undefined) {
      const action = verb.replace('try-', '').replace('reload-or-restart', 'reload-or-restart');
      return fail(ctx, `Failed to ${action} ${name}.service: Unit ${name}.service not found.`, 5);
    }
    if (verb === 'enable' || verb === 'disable') continue;
    if (verb === 'stop') {
      node.setUnit(name, 'inactive');
      continue;
    }
    node.setUnit(name, 'active');
    if (name === 'pveproxy') pveproxyReloaded(node);
    if (name === 'chrony') {
      if (verb === 'reload') {
        loadChrony(node, 'sources');
        logSelected(node);
      } else logChronyStart(node);
    } else if (name === 'systemd-timesyncd') logChronyStart(node);
    else node.log(name, name, `${verb === 'reload' ? 'Reloaded' : 'Started'} ${name}.service.`, 1);
  }
  return 0;
}

function status(node: SimNode, ctx: CommandContext, units: string[]): number {
  let code = 0;
  for (const u of units) {
    const name = unitName(u);
    const state = unitState(node, u);
    if (!state) {
      ctx.io.stderr.write(`Unit ${name}.service could not be found.\n`);
      code = 4;
      continue;
    }
    const running = state === 'active';
    out(
      ctx,
      `● ${name}.service\n     Loaded: loaded (/lib/systemd/system/${name}.service; enabled; preset: enabled)\n     Active: ${running ? 'active (running)' : state === 'failed' ? 'failed (Result: exit-code)' : 'inactive (dead)'} since ${new Date(node.bootTime).toUTCString()}\n`,
    );
    if (!running && code === 0) code = 3;
  }
  return code;
}
