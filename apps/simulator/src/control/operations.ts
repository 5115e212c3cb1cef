import type { SimCluster } from '../model/cluster';
import type { SimNode } from '../model/node';
import { boot, goDown } from '../model/power';
import { decodeCert, encodeCert, DAY } from '../model/certificate';
import { keepServedCertificate, pveproxyReloaded } from '../model/pveproxy-tls';
import { toRegExp, CommandFaultSpec, RebootBehaviour } from '../faults/types';
import type { Disk } from '../model/disks';
import { Interpreter } from '../shell/interpreter';
import { BufferSink, stringStdin } from '../shell/io';
import { makeHostKey } from '../ssh/host-key';
import type { NodeServer } from '../ssh/node-server';
import type { Rng } from '../util/rng';
import { nodeState, NodeState } from './state-view';
import { setSmartState, SMART_STATES, SmartState } from '../model/smart';
import { followManagementAddress, links, managementReachable } from '../model/network';

export class NotFoundError extends Error {}

/**
 * Faults, state read-back and direct execution: the programmatic control API.
 * The HTTP API maps one route onto each of these methods.
 */
export class SimulatorControl {
  private faultSeq = 0;
  private readonly byName: Map<string, SimNode>;

  constructor(
    protected readonly allNodes: SimNode[],
    protected readonly allClusters: SimCluster[],
    protected readonly nodeServers: Map<string, NodeServer>,
    private readonly controlRng: Rng,
  ) {
    this.byName = new Map(allNodes.map((n) => [n.name, n]));
  }

  node(name: string): SimNode {
    const n = this.byName.get(name);
    if (!n) throw new NotFoundError(`no such node: ${name}`);
    return n;
  }

  cluster(name: string): SimCluster {
    const c = this.allClusters.find((x) => x.name === name);
    if (!c) throw new NotFoundError(`no such cluster: ${name}`);
    return c;
  }

  state(name: string): NodeState {
    return nodeState(this.node(name));
  }

  clusterState(name: string) {
    const c = this.cluster(name);
    return {
      name: c.name,
      standalone: c.standalone,
      nodes: c.nodes.map((n) => ({ name: n.name, power: n.power, maintenance: n.maintenance })),
      quorumBroken: c.quorumBroken,
      quorate: c.online().length * 2 > c.expectedVotes && !c.quorumBroken,
      guests: [...c.guests.values()].map((g) => ({ ...g })),
      ceph: c.ceph ? { fsid: c.ceph.fsid, flags: [...c.ceph.flags].sort() } : null,
    };
  }

  counters(name: string) {
    return this.node(name).counters;
  }

  /** The node's own record of what ran on it and which locks were held, and when (for fault drills). */
  history(name: string) {
    const n = this.node(name);
    return { execs: n.execHistory.records, locks: n.locks.history };
  }

  /** Runs a script on a node as an SSH exec would, without SSH. */
  async exec(name: string, command: string, stdin = ''): Promise<{ stdout: string; stderr: string; code: number }> {
    const node = this.node(name);
    const stdout = new BufferSink();
    const stderr = new BufferSink();
    const shell = new Interpreter(node, node.lifecycle.signal, {
      env: new Map([
        ['HOME', '/root'],
        ['USER', 'root'],
        ['PATH', '/usr/sbin:/usr/bin:/sbin:/bin'],
      ]),
      cwd: '/root',
    });
    const code = await shell.run(command, { stdin: stringStdin(stdin), stdout, stderr });
    return { stdout: stdout.data, stderr: stderr.data, code };
  }

  /** Deletes a file on a node as an admin would by hand (out of band); false if it did not exist. */
  removeFile(name: string, path: string): boolean {
    const node = this.node(name);
    if (!node.fs.exists(path)) return false;
    node.fs.remove(path, false);
    return true;
  }

  readFile(name: string, path: string): string | undefined {
    return this.node(name).fs.tryRead(path);
  }

  writeFile(name: string, path: string, content: string): void {
    const node = this.node(name);
    const dir = path.slice(0, path.lastIndexOf('/')) || '/';
    node.fs.mkdir(dir, true);
    node.fs.writeFile(path, content);
  }

  // ---- command faults

  addCommandFault(name: string, spec: CommandFaultSpec): string {
    const id = `f${++this.faultSeq}`;
    this.node(name).faults.commands.push({ id, match: toRegExp(spec.match), action: spec.action, remaining: spec.times, hits: 0 });
    return id;
  }

  /** Clears one fault by id, or every command fault of the node. */
  clearCommandFaults(name: string, id?: string): void {
    const list = this.node(name).faults.commands;
    if (id === undefined) list.splice(0);
    else {
      const i = list.findIndex((f) => f.id === id);
      if (i >= 0) list.splice(i, 1);
    }
  }

  /** Clears every node-level fault (commands, connections, auth, clock, reboot, apt lock, ACME, pve8to9). */
  clearFaults(name: string): void {
    const n = this.node(name);
    const wasHung = n.faults.reboot === 'hang' && n.power === 'down';
    n.faults.commands.splice(0);
    n.faults.rejectAuth = undefined;
    n.faults.clockUnsynced = undefined;
    n.faults.aptLock = undefined;
    n.faults.acmeFailure = undefined;
    n.faults.pve8to9 = { warnings: [], failures: [] };
    // Not awaited (clearing is synchronous for its callers); a listen failure surfaces as an unhandled rejection, like boot's.
    void this.acceptConnections(name);
    this.setRebootBehaviour(name, 'normal');
    if (wasHung) void boot(n);
  }

  // ---- power and connections

  setOffline(name: string): void {
    goDown(this.node(name), 'offline');
  }

  /** Brings an offline node back; it boots (new boot id) unless `reboot: false` (a network blip). */
  async setOnline(name: string, options: { reboot?: boolean } = {}): Promise<void> {
    const n = this.node(name);
    if (n.power === 'online') return;
    if (options.reboot === false) {
      n.power = 'online';
      n.downReason = undefined;
      n.lifecycle = new AbortController();
      n.cluster.membershipChanged();
      await n.transport?.up();
    } else await boot(n);
  }

  refuseConnections(name: string, mode: 'refuse' | 'reset' = 'refuse'): void {
    const n = this.node(name);
    n.faults.connections = mode;
    if (mode === 'refuse') n.transport?.down();
  }

  async acceptConnections(name: string): Promise<void> {
    const n = this.node(name);
    n.faults.connections = undefined;
    await n.transport?.up();
  }

  rejectAuth(name: string, reject = true): void {
    this.node(name).faults.rejectAuth = reject || undefined;
  }

  /** Gives the node a new host key; returns the new `SHA256:` fingerprint. */
  rotateHostKey(name: string): string {
    this.node(name);
    const key = makeHostKey(this.controlRng.fork(`${name}:${++this.faultSeq}`), `root@${name}`);
    this.nodeServers.get(name)?.rotateHostKey(key);
    return key.fingerprint;
  }

  setRebootBehaviour(name: string, mode: RebootBehaviour): void {
    const n = this.node(name);
    const wasHung = n.faults.reboot === 'hang';
    n.faults.reboot = mode;
    if (wasHung && mode !== 'hang' && n.power === 'down' && n.downReason === 'hung') void boot(n);
  }

  // ---- cluster

  breakQuorum(cluster: string): void {
    const c = this.cluster(cluster);
    c.quorumBroken = true;
    c.membershipChanged();
  }

  restoreQuorum(cluster: string): void {
    const c = this.cluster(cluster);
    c.quorumBroken = false;
    c.membershipChanged();
  }

  /** The guest's migrations fail (it stays where it is) until cleared. */
  failMigration(vmid: number, reason = "can't migrate VM which uses local devices: hostpci0"): void {
    this.guest(vmid).migrationFailure = reason;
  }

  clearMigrationFailure(vmid: number): void {
    this.guest(vmid).migrationFailure = undefined;
  }

  private guest(vmid: number) {
    for (const c of this.allClusters) {
      const g = c.guests.get(vmid);
      if (g) return g;
    }
    throw new NotFoundError(`no such guest: ${vmid}`);
  }

  // ---- time, certificates, apt, ACME, storage, pve8to9

  setClockSynced(name: string, synced: boolean): void {
    this.node(name).faults.clockUnsynced = synced ? undefined : true;
  }

  /** Moves the node's pveproxy certificate `days` into the past (so fewer days remain). */
  ageCertificate(name: string, days: number): void {
    const n = this.node(name);
    const path = '/etc/pve/local/pveproxy-ssl.pem';
    const info = decodeCert(n.fs.tryRead(path) ?? '');
    if (!info) throw new NotFoundError(`${name} has no pveproxy-ssl.pem`);
    n.fs.writeFile(path, encodeCert({ ...info, notBefore: info.notBefore - days * DAY, notAfter: info.notAfter - days * DAY }));
  }

  /** "pveproxy still serves the old certificate": it keeps what it serves now until `systemctl restart pveproxy`. */
  keepServedCertificate(name: string): void {
    keepServedCertificate(this.node(name));
  }

  /** pveproxy restarted: it serves its certificate files again. */
  reloadPveproxy(name: string): void {
    pveproxyReloaded(this.node(name));
  }

  holdAptLock(name: string, holder: { process?: string; pid?: number } = {}): void {
    this.node(name).faults.aptLock = { process: holder.process ?? 'unattended-upgr', pid: holder.pid ?? 5198 };
  }

  releaseAptLock(name: string): void {
    this.node(name).faults.aptLock = undefined;
  }

  failAcme(
    name: string,
    message = 'Error: POST to https://acme-v02.api.letsencrypt.org/acme/new-order {"type":"urn:ietf:params:acme:error:rateLimited","detail":"too many certificates already issued","status":429}',
  ): void {
    this.node(name).faults.acmeFailure = message;
  }

  clearAcmeFailure(name: string): void {
    this.node(name).faults.acmeFailure = undefined;
  }

  /** Marks a disk as carrying a filesystem or a foreign pool label, or clears it (`{}`). */
  setDiskState(name: string, device: string, state: { fstype?: string | null; foreignPool?: Disk['foreignPool'] | null }): void {
    const disk = this.node(name).disks.find((d) => d.name === device.replace(/^\/dev\//, ''));
    if (!disk) throw new NotFoundError(`${name} has no disk ${device}`);
    disk.fstype = state.fstype ?? null;
    disk.foreignPool = state.foreignPool ?? undefined;
  }

  /** A disk's S.M.A.R.T. condition: healthy, failing (health check FAILED, exit bit 3), disabled or unavailable (ATA only). */
  setSmart(name: string, device: string, state: SmartState): void {
    if (!SMART_STATES.includes(state)) throw new Error(`state must be one of ${SMART_STATES.join(', ')}`);
    const node = this.node(name);
    const disk = node.disks.find((d) => d.name === device.replace(/^\/dev\//, ''));
    if (!disk) throw new NotFoundError(`${name} has no disk ${device}`);
    setSmartState(node, disk, state);
  }

  /**
   * Makes an interface not come up (`down: true`) or lets it again: a physical NIC loses its carrier at
   * once (a pulled cable: its bridge goes NO-CARRIER), any other interface fails at the next `ifreload -a`.
   * If the node's management address is no longer reachable, its SSH server stops accepting connections.
   */
  setInterfaceDown(name: string, iface: string, down: boolean): void {
    const node = this.node(name);
    if (down) node.interfacesDown.add(iface);
    else node.interfacesDown.delete(iface);
    followManagementAddress(node);
  }

  /** The node's links as `ip` reports them, and whether its management address is reachable. */
  network(name: string) {
    const node = this.node(name);
    return { reachable: managementReachable(node), links: links(node) };
  }

  /** Armed `systemd-run --on-active` timers: unit, command and when each fires (ms since the epoch). */
  timers(name: string) {
    return [...this.node(name).transientTimers.values()].map((t) => ({ unit: t.unit, argv: t.argv, firesAt: t.firesAt }));
  }

  setPve8to9(name: string, result: { warnings?: string[]; failures?: string[] }): void {
    this.node(name).faults.pve8to9 = { warnings: result.warnings ?? [], failures: result.failures ?? [] };
  }
}
