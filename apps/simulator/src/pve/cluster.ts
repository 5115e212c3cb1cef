import type { NodeProgram, SimNode } from '../model/node';
import type { CommandContext } from '../shell/command';
import { out } from '../shell/command';
import { ctime } from '../util/time';
import { haSid } from '../model/guests';
import { setMaintenance } from '../model/ha';
import { die } from './util';

/** pvecm (status, nodes) and ha-manager (status, crm-command node-maintenance). */
export const clusterPrograms: Record<string, NodeProgram> = {
  pvecm: (node, ctx) => {
    const verb = ctx.argv.at(1);
    if (node.cluster.standalone)
      return die(ctx, "Error: Corosync config '/etc/pve/corosync.conf' does not exist - is this node part of a cluster?");
    if (verb === 'status') return pvecmStatus(node, ctx);
    if (verb === 'nodes') return pvecmNodes(node, ctx);
    if (verb === 'expected') return 0;
    return die(ctx, `ERROR: unknown command 'pvecm ${verb ?? ''}'`);
  },
  'ha-manager': haManager,
};

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

function quorumBlock(node: SimNode): { text: string; quorate: boolean } {
  const c = node.cluster;
  const members = c.membersSeenBy(node);
  const quorate = c.quorateFor(node);
  const expected = c.expectedVotes;
  const lowest = Math.min(...members.map((m) => m.nodeId));
  const text = `Quorum information
------------------
Date:             ${ctime(node.sim.now())}
Quorum provider:  corosync_votequorum
Nodes:            ${members.length}
Node ID:          ${hex(node.nodeId)}
Ring ID:          ${lowest.toString(16)}.${c.ringSeq.toString(16)}
Quorate:          ${quorate ? 'Yes' : 'No'}

Votequorum information
----------------------
Expected votes:   ${expected}
Highest expected: ${expected}
Total votes:      ${members.length}
Quorum:           ${Math.floor(expected / 2) + 1} ${quorate ? '' : 'Activity blocked'}
Flags:            ${quorate ? 'Quorate ' : ''}
`;
  return { text, quorate };
}

/** `pvecm status`: exit 2 when the node's partition is not quorate (pve-commands §3.2). */
function pvecmStatus(node: SimNode, ctx: CommandContext): number {
  const c = node.cluster;
  const { text, quorate } = quorumBlock(node);
  const members = c.membersSeenBy(node).sort((a, b) => a.nodeId - b.nodeId);
  const rows = members.map((m) => `${hex(m.nodeId).padStart(10)} ${'1'.padStart(10)} ${m.ip}${m === node ? ' (local)' : ''}`);
  out(
    ctx,
    `Cluster information
-------------------
Name:             ${c.name}
Config Version:   ${c.nodes.length}
Transport:        knet
Secure auth:      on

${text}
Membership information
----------------------
    Nodeid      Votes Name
${rows.join('\n')}
`,
  );
  return quorate ? 0 : 2;
}

function pvecmNodes(node: SimNode, ctx: CommandContext): number {
  const members = node.cluster.membersSeenBy(node).sort((a, b) => a.nodeId - b.nodeId);
  out(
    ctx,
    `\nMembership information\n----------------------\n    Nodeid      Votes Name\n${members.map((m) => `${String(m.nodeId).padStart(10)} ${'1'.padStart(10)} ${m.name}${m === node ? ' (local)' : ''}`).join('\n')}\n`,
  );
  return 0;
}

function haManager(node: SimNode, ctx: CommandContext): number {
  const args = ctx.argv.slice(1);
  const c = node.cluster;
  if (args[0] === 'status') {
    const now = node.sim.now();
    const lines: string[] = [];
    const quorate = c.quorateFor(node);
    lines.push(quorate ? 'quorum OK' : `quorum No quorum on node '${node.name}'!`);
    const ha = [...c.guests.values()].filter((g) => g.ha);
    const master =
      c
        .online()
        .filter((n) => !c.maintenance.has(n.name))
        .at(0) ?? c.online().at(0);
    if (master && !c.standalone) lines.push(`master ${master.name} (${ha.length ? 'active' : 'idle'}, ${ctime(now)})`);
    if (!c.standalone) {
      for (const n of [...c.nodes].sort((a, b) => a.name.localeCompare(b.name))) {
        let state: string;
        if (n.power !== 'online') state = 'old timestamp - dead?';
        else if (c.maintenance.has(n.name)) state = 'maintenance mode';
        else state = ha.some((g) => g.node === n.name) ? 'active' : 'idle';
        lines.push(`lrm ${n.name} (${state}, ${ctime(n.power === 'online' ? now : now - 45_000)})`);
      }
    }
    for (const g of ha.sort((a, b) => (haSid(a) < haSid(b) ? -1 : 1))) {
      const owner = c.node(g.node);
      const state = g.haMigrating ? 'migrate' : owner?.power !== 'online' ? 'freeze' : g.status === 'running' ? 'started' : 'stopped';
      lines.push(`service ${haSid(g)} (${g.node}, ${state})`);
    }
    out(ctx, lines.join('\n') + '\n');
    return 0;
  }
  if (args[0] === 'crm-command' && args[1] === 'node-maintenance' && (args[2] === 'enable' || args[2] === 'disable')) {
    const target = args.at(3);
    if (!target || !c.node(target)) return die(ctx, `400 Parameter verification failed.\nnode: no such cluster node '${target ?? ''}'`);
    if (!c.quorateFor(node)) return die(ctx, 'cluster not ready - no quorum?');
    setMaintenance(c, target, args[2] === 'enable');
    return 0;
  }
  if (args[0] === 'config') {
    out(
      ctx,
      [...c.guests.values()]
        .filter((g) => g.ha)
        .map((g) => `${haSid(g)}\n\tstate started\n\n`)
        .join(''),
    );
    return 0;
  }
  return die(ctx, `ERROR: unknown command 'ha-manager ${args.join(' ')}'`);
}
