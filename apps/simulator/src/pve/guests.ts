import type { NodeProgram, SimNode } from '../model/node';
import type { CommandContext } from '../shell/command';
import { out } from '../shell/command';
import { pveOptions, die } from './util';
import { migrateGuest } from './migrate';
import { guestConfig } from '../model/seed-pmxcfs';
import type { Guest } from '../model/guests';

const pidOf = (vmid: number): number => 1000 + ((vmid * 7919) % 60000);

/** qm and pct: list, status, config, start/stop, migrate. */
export const guestPrograms: Record<string, NodeProgram> = {
  qm: (node, ctx) => guestCli(node, ctx, 'qemu'),
  pct: (node, ctx) => guestCli(node, ctx, 'lxc'),
};

async function guestCli(node: SimNode, ctx: CommandContext, type: 'qemu' | 'lxc'): Promise<number> {
  const verb = ctx.argv.at(1);
  const rest = ctx.argv.slice(2);
  const { opts, positional } = pveOptions(rest);
  const guests = node.cluster.guestsOn(node.name, type);
  const find = (): ReturnType<typeof guests.find> => guests.find((g) => g.vmid === Number(positional[0]));
  const missing = (): number =>
    die(ctx, `Configuration file 'nodes/${node.name}/${type === 'qemu' ? 'qemu-server' : 'lxc'}/${positional[0]}.conf' does not exist`);
  switch (verb) {
    case 'list': {
      if (!guests.length) return 0;
      if (type === 'qemu') {
        const rows = [
          `${'VMID'.padStart(10)} ${'NAME'.padEnd(20)} ${'STATUS'.padEnd(10)} ${'MEM(MB)'.padEnd(10)} ${'BOOTDISK(GB)'.padStart(12)} ${'PID'.padEnd(10)}`,
        ];
        for (const g of guests)
          rows.push(
            `${String(g.vmid).padStart(10)} ${g.name.padEnd(20)} ${g.status.padEnd(10)} ${String(g.memMb).padEnd(10)} ${g.diskGb.toFixed(2).padStart(12)} ${String(g.status === 'running' ? pidOf(g.vmid) : 0).padEnd(10)}`,
          );
        out(ctx, rows.join('\n') + '\n');
      } else {
        const f = (a: string, b: string, c: string, d: string): string => `${a.padEnd(10)} ${b.padEnd(10)} ${c.padEnd(12)} ${d.padEnd(20)}`;
        out(ctx, [f('VMID', 'Status', 'Lock', 'Name'), ...guests.map((g) => f(String(g.vmid), g.status, '', g.name))].join('\n') + '\n');
      }
      return 0;
    }
    case 'status': {
      const g = find();
      if (!g) return missing();
      out(ctx, `status: ${g.status}\n`);
      return 0;
    }
    case 'config': {
      const g = find();
      if (!g) return missing();
      out(ctx, guestConfig(g));
      return 0;
    }
    case 'start':
    case 'stop':
    case 'shutdown': {
      const g = find();
      if (!g) return missing();
      return powerGuest(ctx, g, verb, opts);
    }
    case 'migrate':
      return migrateGuest(node, ctx, type, positional, opts);
    default:
      return die(ctx, `unknown command '${type === 'qemu' ? 'qm' : 'pct'} ${verb ?? ''}'`);
  }
}

/**
 * `qm|pct start|stop|shutdown <id> [--timeout S]`, as qemu-server / pve-container answer: starting a
 * running guest dies (`VM 100 already running`, exit 255); stopping a stopped one does nothing
 * (vm_stop returns when there is no pid). `shutdown` takes `--timeout` (seconds) and the guest is
 * stopped when it returns.
 */
function powerGuest(ctx: CommandContext, g: Guest, verb: 'start' | 'stop' | 'shutdown', opts: Map<string, string>): number {
  const label = `${g.type === 'qemu' ? 'VM' : 'CT'} ${g.vmid}`;
  if (verb === 'start') {
    if (g.status === 'running') return die(ctx, `${label} already running`);
    g.status = 'running';
    return 0;
  }
  const timeout = opts.get('timeout');
  if (timeout !== undefined && !/^\d+$/.test(timeout)) {
    return die(ctx, `400 Parameter verification failed.\ntimeout: type check ('integer') failed - got '${timeout}'`);
  }
  g.status = 'stopped';
  return 0;
}
