import type { SimNode } from '../model/node';
import type { Guest } from '../model/guests';
import type { CommandContext } from '../shell/command';
import { out } from '../shell/command';
import { sleep } from '../shell/io';
import { moveGuest } from '../model/ha';
import { duration, isoLocal } from '../util/time';
import { die, paramError } from './util';

/** Moves one guest to `target` after the migration delay; false (guest stays) when a fault says so or the target is down. */
async function migrateOne(node: SimNode, guest: Guest, target: string, signal: AbortSignal): Promise<string | undefined> {
  await sleep(node.sim.options.migrationDelayMs, signal);
  const t = node.cluster.node(target);
  if (guest.migrationFailure) return guest.migrationFailure;
  if (!t || t.power !== 'online') return `Can't connect to destination address using public key`;
  moveGuest(node.cluster, guest, target);
  return undefined;
}

/**
 * `pvenode migrateall TARGET --max-workers N`: log lines per pve-outputs §7.1.
 * Like the real task, it does not wait on the per-guest task results, so a
 * guest whose migration fails stays behind while the command exits 0.
 */
export async function migrateAll(
  node: SimNode,
  ctx: CommandContext,
  target: string | undefined,
  opts: Map<string, string>,
): Promise<number> {
  const usage = 'pvenode migrateall <target> [OPTIONS]';
  if (!target) return paramError(ctx, { target: 'property is missing and it is not optional' }, usage);
  if (target === node.name) return paramError(ctx, { target: 'target is local node.' }, usage);
  if (!node.cluster.quorateFor(node)) return die(ctx, 'cluster not ready - no quorum?');
  if (!node.cluster.node(target)) return die(ctx, `no such cluster node '${target}'`);
  const maxWorkers = Number(opts.get('max-workers') ?? 0);
  if (!maxWorkers) return die(ctx, "either 'max-workers' parameter or max_workers in datacenter.cfg must be set!");
  if (maxWorkers < 1 || maxWorkers > 64)
    return paramError(ctx, { 'max-workers': `value must have a minimum value of 1 and a maximum of 64` }, usage);
  const only = opts
    .get('vms')
    ?.split(/[,;\s]+/)
    .map(Number);
  const guests = node.cluster
    .guestsOn(node.name)
    .filter((g) => !only || only.includes(g.vmid))
    .sort((a, b) => (String(a.vmid) < String(b.vmid) ? -1 : 1));
  if (!guests.length) {
    out(ctx, 'no virtual guests matched, nothing to do..\n');
    return 0;
  }
  const running = new Set<Promise<unknown>>();
  let workers = 0;
  for (const g of guests) {
    if (g.type === 'qemu') out(ctx, `Check VM ${g.vmid}: precondition check passed\nMigrating VM ${g.vmid}\n`);
    else out(ctx, `Migrating CT ${g.vmid}\n`);
    workers++;
    const p = migrateOne(node, g, target, ctx.signal).finally(() => running.delete(p));
    running.add(p);
    while (running.size >= maxWorkers) await Promise.race(running);
  }
  await Promise.all(running);
  out(ctx, `All jobs finished, used ${workers} workers in total.\n`);
  return 0;
}

/** `qm migrate VMID TARGET [--online]` / `pct migrate CTID TARGET [--restart]`: foreground task log, exit 255 on failure. */
export async function migrateGuest(
  node: SimNode,
  ctx: CommandContext,
  type: Guest['type'],
  args: string[],
  opts: Map<string, string>,
): Promise<number> {
  const [idText, target] = args;
  const vmid = Number(idText);
  const checked = checkMigration(
    node,
    ctx,
    { node: node.name, type, vmid },
    target,
    opts,
    `${type === 'qemu' ? 'qm' : 'pct'} migrate <vmid> <target> [OPTIONS]`,
  );
  if (typeof checked === 'number') return checked;
  const { guest, target: t } = checked;
  const start = node.sim.now();
  const log = (s: string): void => {
    out(ctx, `${isoLocal(node.sim.now())} ${s}\n`);
  };
  if (type === 'lxc' && guest.status === 'running') log(`shutdown CT ${vmid}`);
  log(`starting migration of ${type === 'qemu' ? 'VM' : 'CT'} ${vmid} to node '${target}' (${t.ip})`);
  const error = await migrateOne(node, guest, target, ctx.signal);
  if (error) {
    log(`ERROR: migration aborted (duration ${duration((node.sim.now() - start) / 1000)}): ${error}`);
    ctx.io.stderr.write('migration aborted\n');
    return 255;
  }
  if (type === 'qemu') {
    log(`starting VM ${vmid} on remote node '${target}'`);
    log('start remote tunnel');
    log(`starting online/live migration on unix:/run/qemu-server/${vmid}.migrate`);
    log('migration status: completed');
  } else {
    log(`volume 'local-lvm:vm-${vmid}-disk-0' is 'local-lvm:vm-${vmid}-disk-0' on the target`);
    log('start final cleanup');
    if (guest.status === 'running') log('start container on target node');
  }
  log(`migration finished successfully (duration ${duration((node.sim.now() - start) / 1000)})`);
  return 0;
}

/** The UPID a migration task started through the API gets (pve-commands §1.1). */
function migrationUpid(node: SimNode, type: Guest['type'], vmid: number): string {
  const hex = (n: number, w: number): string => Math.floor(n).toString(16).toUpperCase().padStart(w, '0');
  const t = node.sim.now() / 1000;
  return `UPID:${node.name}:${hex(4000 + (vmid % 60000), 8)}:${hex(t * 100, 8)}:${hex(t, 8)}:${type === 'qemu' ? 'qmigrate' : 'vzmigrate'}:${vmid}:root@pam:`;
}

/**
 * `POST /nodes/{node}/{type}/{vmid}/migrate` as pvesh runs it: the same checks as `qm migrate`, then
 * the task runs in the background on {node} and the call prints its UPID. A failure shows only in
 * where the guest stays (the task log is not simulated).
 */
export function apiMigrate(
  viewer: SimNode,
  ctx: CommandContext,
  where: { node: string; type: Guest['type']; vmid: number },
  opts: Map<string, string>,
): number {
  const source = viewer.cluster.node(where.node);
  if (!source) return die(ctx, `no such cluster node '${where.node}'`);
  if (source.power !== 'online')
    return die(
      ctx,
      `proxy loop detected - aborting\nhostname lookup '${where.node}' failed - failed to get address info for: ${where.node}: No address associated with hostname`,
    );
  const usage = `pvesh create /nodes/${where.node}/${where.type}/${where.vmid}/migrate --target <string> [OPTIONS]`;
  const checked = checkMigration(viewer, ctx, where, opts.get('target'), opts, usage);
  if (typeof checked === 'number') return checked;
  const { guest, target } = checked;
  // The task runs on, detached, as PVE's worker does. It ends early only when its node goes down
  // (the sleep is aborted): the guest then stays where it was, which is all a caller can observe.
  void migrateOne(source, guest, target.name, source.lifecycle.signal).catch((err: unknown) => {
    source.log('pvedaemon', 'pvedaemon', `migration of ${where.vmid} aborted: ${String(err)}`);
  });
  out(ctx, migrationUpid(source, where.type, where.vmid) + '\n');
  return 0;
}

/** The checks qemu-server / pve-container make before a migration starts; the exit status when one fails. */
function checkMigration(
  viewer: SimNode,
  ctx: CommandContext,
  where: { node: string; type: Guest['type']; vmid: number },
  target: string | undefined,
  opts: Map<string, string>,
  usage: string,
): { guest: Guest; target: SimNode } | number {
  const guest = viewer.cluster.guests.get(where.vmid);
  const kind = where.type === 'qemu' ? 'qemu-server' : 'lxc';
  if (!guest || guest.node !== where.node || guest.type !== where.type)
    return die(ctx, `Configuration file 'nodes/${where.node}/${kind}/${where.vmid}.conf' does not exist`);
  if (!target) return paramError(ctx, { target: 'property is missing and it is not optional' }, usage);
  if (target === where.node) return paramError(ctx, { target: 'target is local node.' }, usage);
  const t = viewer.cluster.node(target);
  if (!t) return die(ctx, `no such cluster node '${target}'`);
  if (guest.status === 'running' && where.type === 'qemu' && opts.get('online') !== '1')
    return die(ctx, "can't migrate running VM without --online");
  if (guest.status === 'running' && where.type === 'lxc' && opts.get('restart') !== '1' && opts.get('online') !== '1')
    return die(ctx, "lxc live migration is currently not implemented - use 'restart' migration instead");
  return { guest, target: t };
}
