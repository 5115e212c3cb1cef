import { NodeFs } from '../vfs/node-fs';
import { CowStore } from '../vfs/store';
import { Rng, stableHex } from '../util/rng';
import { compareDebianVersions } from '../util/debian-version';
import type { CommandHandler } from '../shell/command';
import type { ShellHost } from '../shell/interpreter';
import { applyFault, takeFault } from '../faults/command-faults';
import type { NodeFaultState } from '../faults/types';
import { installedBase } from './package-catalog';
import { PackageDb } from './packages';
import { rootSeed } from './seed-root';
import { Journal } from './journal';
import type { UnitState } from './services';
import type { TimeSource } from './chrony-config';
import { defaultDisks, Disk, ZPool } from './disks';
import type { SimCluster } from './cluster';
import type { SimContext } from './sim-context';
import { FileLocks } from './file-locks';
import { ExecHistory } from './exec-history';
import { installerLvm, LvmState } from './lvm';
import type { SmartState } from './smart';
import type { NetworkState } from './network';
import type { TransientTimer } from './transient-timers';

/** Implemented by the SSH layer: how a node's listener follows its power state. */
export interface NodeTransport {
  /** Closes the listener and destroys every connection. */
  down(): void;
  /** Listens again on the same address and port. */
  up(): Promise<void>;
  /** Destroys the TCP connection that carries the given session id. */
  dropSession(sessionId: number): void;
}

export type NodeProgram = (node: SimNode, ctx: Parameters<CommandHandler>[0]) => number | Promise<number>;

export interface NodeInit {
  name: string;
  cluster: SimCluster;
  /** 1-based index across the whole simulator (port offsets, loopback addresses, serials). */
  globalIndex: number;
  nodeId: number;
  ip: string;
  pveMajor: 8 | 9;
  ceph: boolean;
}

export interface NodeCounters {
  execs: number;
  commands: Record<string, number>;
  reboots: number;
  connections: number;
  authFailures: number;
  signals: number;
}

/** One simulated PVE host: its files, packages, kernel, boot, services, disks and faults. */
export class SimNode implements ShellHost {
  readonly name: string;
  readonly cluster: SimCluster;
  readonly globalIndex: number;
  readonly nodeId: number;
  readonly ip: string;
  readonly fqdn: string;
  readonly cpus: number;
  readonly timesync: 'chrony' | 'timesyncd';
  readonly machineId: string;
  readonly rng: Rng;
  readonly fs: NodeFs<SimNode>;
  readonly packages: PackageDb;
  readonly journal = new Journal();
  readonly faults: NodeFaultState = { commands: [], reboot: 'normal', pve8to9: { warnings: [], failures: [] } };
  readonly counters: NodeCounters = { execs: 0, commands: {}, reboots: 0, connections: 0, authFailures: 0, signals: 0 };
  /** Running SSH sessions by process id (`$$`), so `kill -- -PID` can stop one as it would on Linux. */
  readonly sessions = new Map<number, AbortController>();
  /** flock(1) locks held on this node (gone at reboot, like the processes holding them). */
  readonly locks = new FileLocks(Date.now);
  /** Every exec with its start and end, for tests that check what overlapped on the node. */
  readonly execHistory = new ExecHistory();
  private lastPid = 3000;
  unitOverrides?: Map<string, UnitState>;
  /** Archive keys fetched by the last successful `apt-get update`; undefined = as installed. */
  aptListKeys?: Set<string>;
  runningKernel: string;
  bootId: string;
  bootTime: number;
  power: 'online' | 'down' = 'online';
  downReason?: 'offline' | 'rebooting' | 'hung';
  /** Time sources chronyd loaded at its last start/reload; undefined until first needed. */
  chronySources?: TimeSource[];
  pools?: Map<string, ZPool>;
  lifecycle = new AbortController();
  transport?: NodeTransport;
  host = '127.0.0.1';
  port = 0;
  hostKeyFingerprint = '';
  private diskList?: Disk[];
  private lvmState?: LvmState;
  /** SMART state per disk name set through the control API; options give the default, else healthy. */
  smartOverrides?: Map<string, SmartState>;
  /** Interfaces as the last `ifreload -a` (or the boot) left them; undefined until first needed. */
  network?: NetworkState;
  /** Interfaces that do not come up, set through the control API: a NIC without carrier (pulled cable), any other fails at ifreload. */
  interfacesDown = new Set<string>();
  /** `systemd-run --on-active` timers armed on this node, by unit name (`NAME.timer`). */
  transientTimers = new Map<string, TransientTimer>();
  /** `apt-mark hold` packages. */
  heldPackages = new Set<string>();
  /** The root file system as /proc/mounts shows it: the installer's ext4 on LVM, or ZFS (`rpool/ROOT/pve-1`). */
  rootFs: 'ext4' | 'zfs' = 'ext4';
  private programs?: ReadonlyMap<string, NodeProgram>;

  constructor(
    readonly sim: SimContext,
    init: NodeInit,
  ) {
    const o = sim.options;
    this.name = init.name;
    this.cluster = init.cluster;
    this.globalIndex = init.globalIndex;
    this.nodeId = init.nodeId;
    this.ip = init.ip;
    this.fqdn = `${init.name}.${o.domain}`;
    this.cpus = o.cpus;
    this.timesync = o.timesync;
    this.rng = sim.rng.fork(init.name);
    this.machineId = stableHex(`machine-id:${init.name}:${o.seed}`, 32);
    const seed = rootSeed({ pveMajor: init.pveMajor, repositories: o.repositories, timesync: o.timesync, ceph: init.ceph });
    this.fs = new NodeFs<SimNode>(this, new CowStore(seed), init.cluster.pmxcfs, () => sim.now(), init.name);
    this.packages = new PackageDb(installedBase(init.pveMajor, init.ceph));
    this.runningKernel = this.newestKernel();
    this.bootId = this.rng.uuid();
    this.bootTime = sim.now() - (3 + this.rng.int(20)) * 86400_000 - this.rng.int(86400_000);
  }

  usePrograms(programs: ReadonlyMap<string, NodeProgram>, fallback: ReadonlyMap<string, CommandHandler>): void {
    this.programs = programs;
    this.fallback = fallback;
  }

  private fallback?: ReadonlyMap<string, CommandHandler>;

  get backgroundSignal(): AbortSignal {
    return this.lifecycle.signal;
  }

  /** ShellHost: finds a program, counts it, and lets a matching fault take over. */
  resolve(name: string, argv: string[]): CommandHandler | undefined {
    const program = this.programs?.get(name);
    let handler: CommandHandler | undefined = program ? (ctx) => program(this, ctx) : this.fallback?.get(name);
    if (!handler && !this.faults.commands.length) return undefined;
    this.counters.commands[name] = (this.counters.commands[name] ?? 0) + 1;
    const fault = takeFault(this.faults.commands, argv);
    if (fault)
      handler = applyFault(fault, handler, { dropConnection: (ctx) => this.transport?.dropSession(Number(ctx.env.get('__SIM_CONN'))) });
    return handler;
  }

  get pveMajor(): number {
    return Number((this.packages.get('pve-manager') ?? '8').split('.')[0]);
  }

  get debianMajor(): number {
    return Number((this.packages.get('base-files') ?? '12').split('.')[0]);
  }

  get codename(): string {
    return this.debianMajor >= 13 ? 'trixie' : 'bookworm';
  }

  debianPointRelease(): string {
    const m = /deb(\d+)u(\d+)/.exec(this.packages.get('base-files') ?? '');
    return m ? `${m[1]}.${Number(m[2])}` : String(this.debianMajor);
  }

  osRelease(): string {
    const v = this.debianMajor;
    const name = this.codename;
    const full = v >= 13 ? `DEBIAN_VERSION_FULL=${this.debianPointRelease()}\n` : '';
    return `PRETTY_NAME="Debian GNU/Linux ${v} (${name})"\nNAME="Debian GNU/Linux"\nVERSION_ID="${v}"\nVERSION="${v} (${name})"\nVERSION_CODENAME=${name}\n${full}ID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n`;
  }

  uptimeSeconds(): number {
    return Math.max(0, (this.sim.now() - this.bootTime) / 1000);
  }

  procUptime(): string {
    const up = this.uptimeSeconds();
    return `${up.toFixed(2)} ${(up * this.cpus * 0.97).toFixed(2)}\n`;
  }

  /** Kernel versions (`6.8.12-13-pve`) with an installed `-pve-signed` package. */
  installedKernels(): string[] {
    return this.packages
      .names()
      .map((n) => /^(?:proxmox|pve)-kernel-(\d+\.\d+\.\d+-\d+)-pve(?:-signed)?$/.exec(n)?.[1])
      .filter((v): v is string => !!v)
      .sort(compareDebianVersions)
      .map((v) => `${v}-pve`);
  }

  newestKernel(): string {
    const k = this.installedKernels();
    return k[k.length - 1] ?? '6.8.12-13-pve';
  }

  pinnedKernel(): string | undefined {
    return this.fs.tryRead('/etc/kernel/proxmox-boot-pin')?.trim() || undefined;
  }

  /** The kernel the next boot will run: next-boot pin, else pin, else newest installed. */
  nextBootKernel(): string {
    const installed = this.installedKernels();
    const next = this.fs.tryRead('/etc/kernel/next-boot-pin')?.trim();
    if (next && installed.includes(next)) return next;
    const pinned = this.pinnedKernel();
    if (pinned && installed.includes(pinned)) return pinned;
    return this.newestKernel();
  }

  get rebootRequired(): boolean {
    return this.nextBootKernel() !== this.runningKernel;
  }

  get disks(): Disk[] {
    return (this.diskList ??= defaultDisks(this.globalIndex));
  }

  get lvm(): LvmState {
    return (this.lvmState ??= installerLvm(`${this.sim.options.seed}:${this.name}`, this.disks.find((d) => d.system)?.partitions[2]));
  }

  get zpools(): Map<string, ZPool> {
    return (this.pools ??= new Map());
  }

  get maintenance(): boolean {
    return this.cluster.maintenance.has(this.name);
  }

  /** Clock state as chrony/timesyncd would report it. */
  clockSynced(): boolean {
    if (this.faults.clockUnsynced) return false;
    const unit = this.timesync === 'chrony' ? 'chrony' : 'systemd-timesyncd';
    if ((this.unitOverrides?.get(unit) ?? 'active') !== 'active') return false;
    return this.timesync === 'timesyncd' || (this.chronySources ?? []).length > 0 || this.chronySources === undefined;
  }

  setUnit(name: string, state: UnitState): void {
    (this.unitOverrides ??= new Map()).set(name, state);
  }

  openSession(ac: AbortController): number {
    this.lastPid = this.lastPid >= 4_000_000 ? 3001 : this.lastPid + 1;
    this.sessions.set(this.lastPid, ac);
    return this.lastPid;
  }

  closeSession(pid: number): void {
    this.sessions.delete(pid);
  }

  log(unit: string, ident: string, message: string, pid = 1000 + (this.rng.int(9000) | 0)): void {
    this.journal.add({ time: this.sim.now(), unit, ident, pid, message });
  }
}
