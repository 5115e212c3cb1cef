import type { NodeProgram, SimNode } from '../model/node';
import { out, fail } from '../shell/command';
import { PVE_MANAGER_REPOID, pveversionList } from '../model/package-catalog';
import { compareDebianVersions } from '../util/debian-version';
import { stableHex } from '../util/rng';
import { isoLocal } from '../util/time';

export function repoId(version: string): string {
  return PVE_MANAGER_REPOID[version] ?? stableHex(`pve-manager:${version}`, 16);
}

const kernelBuild = (k: string): string => `#1 SMP PREEMPT_DYNAMIC PMX ${k.replace(/-pve$/, '')} (2025-09-12T11:02Z)`;

/** hostname, uname, pveversion, nproc, uptime: who the node is and what it runs. */
export const identityPrograms: Record<string, NodeProgram> = {
  hostname: (node, ctx) => {
    const a = ctx.argv[1];
    if (a === '-f' || a === '--fqdn' || a === '--long') out(ctx, `${node.fqdn}\n`);
    else if (a === '-I' || a === '--all-ip-addresses') out(ctx, `${node.ip} \n`);
    else if (a === '-i' || a === '--ip-address') out(ctx, `${node.ip}\n`);
    else if (a === '-d' || a === '--domain') out(ctx, `${node.fqdn.slice(node.name.length + 1)}\n`);
    else if (a && !a.startsWith('-')) return fail(ctx, 'hostname: you must be root to change the host name');
    else out(ctx, `${node.name}\n`);
    return 0;
  },
  uname: (node, ctx) => {
    const flags = ctx.argv.slice(1).join('').replace(/-/g, '');
    const parts: string[] = [];
    const all = flags.includes('a');
    if (all || flags.includes('s') || !flags) parts.push('Linux');
    if (all || flags.includes('n')) parts.push(node.name);
    if (all || flags.includes('r')) parts.push(node.runningKernel);
    if (all || flags.includes('v')) parts.push(kernelBuild(node.runningKernel));
    if (all || flags.includes('m')) parts.push('x86_64');
    if (all || flags.includes('o')) parts.push('GNU/Linux');
    out(ctx, parts.join(' ') + '\n');
    return 0;
  },
  nproc: (node, ctx) => (out(ctx, `${node.cpus}\n`), 0),
  uptime: (node, ctx) => {
    const a = ctx.argv[1];
    const up = node.uptimeSeconds();
    if (a === '-s' || a === '--since') out(ctx, `${isoLocal(node.bootTime)}\n`);
    else if (a === '-p' || a === '--pretty') out(ctx, `up ${prettyUptime(up)}\n`);
    else {
      const now = new Date(node.sim.now()).toISOString().slice(11, 19);
      const days = Math.floor(up / 86400);
      const hm = `${Math.floor((up % 86400) / 3600)}:${String(Math.floor((up % 3600) / 60)).padStart(2, '0')}`;
      out(
        ctx,
        ` ${now} up ${days ? `${days} day${days > 1 ? 's' : ''}, ` : ''}${up < 3600 ? `${Math.floor(up / 60)} min` : hm},  1 user,  load average: 0.21, 0.19, 0.08\n`,
      );
    }
    return 0;
  },
  pveversion,
};

function prettyUptime(seconds: number): string {
  const parts: string[] = [];
  const units: [string, number][] = [
    ['week', 604800],
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];
  let rest = Math.floor(seconds);
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n) parts.push(`${n} ${name}${n > 1 ? 's' : ''}`);
  }
  return parts.join(', ') || '0 minutes';
}

function pveversion(node: SimNode, ctx: Parameters<NodeProgram>[1]): number {
  const args = ctx.argv.slice(1);
  const verbose = args.includes('-v') || args.includes('--verbose');
  const bad = args.find((a) => !['-v', '--verbose'].includes(a));
  if (bad) {
    ctx.io.stderr.write(`${bad.startsWith('-') ? `Unknown option: ${bad.replace(/^-+/, '')}\n` : ''}USAGE: pveversion [--verbose]\n`);
    return 255;
  }
  const manager = node.packages.get('pve-manager') ?? 'unknown';
  if (!verbose) {
    out(ctx, `pve-manager/${manager}/${repoId(manager)} (running kernel: ${node.runningKernel})\n`);
    return 0;
  }
  const lines = [
    `proxmox-ve: ${node.packages.get('proxmox-ve')} (running kernel: ${node.runningKernel})`,
    `pve-manager: ${manager} (running version: ${manager}/${repoId(manager)})`,
  ];
  const kernels = node.packages
    .names()
    .filter((n) => /^(pve|proxmox)-kernel-/.test(n))
    .sort((a, b) => compareDebianVersions(node.packages.get(b) as string, node.packages.get(a) as string) || (a < b ? 1 : -1));
  for (const k of kernels) lines.push(`${k}: ${node.packages.get(k)}`);
  for (const p of pveversionList(node.pveMajor)) {
    const v = node.packages.get(p);
    if (v) lines.push(`${p}: ${v}`);
  }
  out(ctx, lines.join('\n') + '\n');
  return 0;
}
