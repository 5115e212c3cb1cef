import type { NodeProgram, SimNode } from '../model/node';
import type { CommandContext } from '../shell/command';
import { out } from '../shell/command';
import { pveOptions, die } from './util';
import { migrateGuest } from './migrate';
import { guestConfig } from '../model/seed-pmxcfs';

const pidOf = (vmid: number): number => 1000 + ((vmid * 7919) % 60000);

/** qm and pct: list, status, config, start/stop, migrate. */
export const guestPrograms: Record<string, NodeProgram> = {
  qm: (node, ctx) => guestCli(node, ctx, 'qemu'),
  pct: (node, ctx) => guestCli(node, ctx, 'lxc'),
};

async function guestCli(node: SimNode, ctx: CommandContext, type: 'qemu' | 'lxc'): Promise<number> {
  const [verb, ...rest] = ctx.argv.slice(1);
  const { opts, positional } = pveOptions(rest);
  const guests = node.cluster.guestsOn(node.name, type);
  const find = (): ReturnType<typeof guests.find> => guests.find((g) => g.vmid === Number(positional[0]));
  const missing = (): number => die(ctx, `Configuration file 'nodes/${node.name}/${type === 'qemu' ? 'qemu-server' : 'lxc'}/${positional[0]}.conf' does not exist`);
  switch (verb) {
    case 'list': {
      if (!guests.length) return 0;
      if (type === 'qemu') {
        const rows = [`${'VMID'.padStart(10)} ${'NAME'.padEnd(20)} ${'STATUS'.padEnd(10)} ${'MEM(MB)'.padEnd(10)} ${'BOOTDISK(GB)'.padStart(12)} ${'PID'.padEnd(10)}`];
        for (const g of guests) rows.push(`${String(g.vmid).padStart(10)} ${g.name.padEnd(20)} ${g.status.padEnd(10)} ${String(g.memMb).padEnd(10)} ${g.diskGb.toFixed(2).padStart(12)} ${String(g.status === 'running' ? pidOf(g.vmid) : 0).padEnd(10)}`);
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
      g.status = verb === 'start' ? 'running' : 'stopped';
      return 0;
    }
    case 'migrate':
      return migrateGuest(node, ctx, type, positional, opts);
    default:
      return die(ctx, `unknown command '${type === 'qemu' ? 'qm' : 'pct'} ${verb ?? ''}'`);
  }
}
