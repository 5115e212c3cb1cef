/** Everything a caller can set when starting the simulator; every field has a default. */
export interface ClusterSpec {
  name: string;
  /** Node count, or explicit node names. */
  nodes: number | string[];
  pveMajor?: 8 | 9;
  ceph?: boolean;
  /** Node names are `<prefix><i>`; default `<name>-n`. */
  namePrefix?: string;
  /** Guests seeded per node; the first VM of each node is HA-managed in a cluster. Default 2 VMs + 1 CT. */
  guestsPerNode?: { vms: number; cts: number };
}

export interface StandaloneSpec {
  count: number;
  pveMajor?: 8 | 9;
  /** Default `pve-sa`. */
  namePrefix?: string;
}

export interface AuthOptions {
  /** Default `root`. */
  user?: string;
  /** Accepted password; `null` disables password auth. Default `simulator`. */
  password?: string | null;
  /** OpenSSH public key lines (`ssh-ed25519 AAAA… comment`) accepted for key auth. */
  authorizedKeys?: string[];
}

export interface SimulatorOptions {
  clusters?: ClusterSpec[];
  standalone?: StandaloneSpec;
  /** Loopback address every node listens on (default 127.0.0.1). */
  host?: string;
  /** First node's port; node i gets basePort + i. 0 (default) lets the OS pick each port. */
  basePort?: number;
  /** If set, every node listens on this port on its own address 127.0.x.y (x.y from the node number). */
  sharedPort?: number;
  /** HTTP control API port on 127.0.0.1; 0 picks a free port (default); false disables it. */
  controlPort?: number | false;
  auth?: AuthOptions;
  /** Seed for ids, host keys and boot ids; default: the clock. */
  seed?: number | string;
  /** How long a rebooting node refuses connections (default 2000 ms). */
  rebootDelayMs?: number;
  /** Delay between `reboot` returning and the node dropping its connections (default 50 ms). */
  shutdownDelayMs?: number;
  /** Delay before HA moves guests on maintenance enable/disable (default 200 ms). */
  haDelayMs?: number;
  /** Duration of one simulated guest migration (default 50 ms). */
  migrationDelayMs?: number;
  /** Interval between `chronyc waitsync` tries, overriding the command's own (default: the command's, capped at 1 s). */
  waitsyncIntervalMs?: number;
  /** Seeded APT layout: `no-subscription` (default; enterprise disabled) or the stock `enterprise` only. */
  repositories?: 'no-subscription' | 'enterprise';
  /** Whether nodes have a subscription (enterprise repos then update fine). Default false. */
  subscription?: boolean;
  /** Time daemon: chrony (default) or systemd-timesyncd. */
  timesync?: 'chrony' | 'timesyncd';
  /** Seed each node with an ACME-issued pveproxy-ssl.pem (default true). */
  acmeCertificate?: boolean;
  /** DNS domain of the nodes (default `pvefleet.test`). */
  domain?: string;
  /** CPUs a node reports (`nproc`, default 8). */
  cpus?: number;
  /** S.M.A.R.T. per node and disk, e.g. `{ pve2: { sdc: 'failing', sdd: 'disabled' } }`; every other disk is healthy. */
  smart?: Record<string, Record<string, 'healthy' | 'failing' | 'disabled' | 'unavailable'>>;
  /**
   * `systemd-run --on-active=SECONDS` timers fire after SECONDS × this factor of real time (default 1);
   * tests use a small factor so a 120 s rollback fires in about a second.
   */
  transientTimerScale?: number;
  /**
   * Where the simulator says what happens to it (listeners, control requests, reboots), one line at a
   * time: the CLI writes them to stderr so a log file shows which faults were injected and when; the
   * programmatic default is silence, so tests stay quiet.
   */
  log?: (line: string) => void;
}

export type ResolvedOptions = Required<Omit<SimulatorOptions, 'sharedPort' | 'auth' | 'seed' | 'standalone' | 'waitsyncIntervalMs'>> & {
  sharedPort?: number;
  waitsyncIntervalMs?: number;
  standalone?: StandaloneSpec;
  seed: number | string;
  auth: { user: string; password: string | null; authorizedKeys: string[] };
};

export const DEFAULT_CLUSTER: ClusterSpec = { name: 'pvelab', nodes: 5, pveMajor: 8, namePrefix: 'pve' };

export function resolveOptions(o: SimulatorOptions = {}): ResolvedOptions {
  return {
    clusters: o.clusters ?? (o.standalone ? [] : [DEFAULT_CLUSTER]),
    standalone: o.standalone,
    host: o.host ?? '127.0.0.1',
    basePort: o.basePort ?? 0,
    sharedPort: o.sharedPort,
    controlPort: o.controlPort ?? 0,
    auth: {
      user: o.auth?.user ?? 'root',
      password: o.auth?.password === undefined ? 'simulator' : o.auth.password,
      authorizedKeys: o.auth?.authorizedKeys ?? [],
    },
    seed: o.seed ?? Date.now(),
    rebootDelayMs: o.rebootDelayMs ?? 2000,
    shutdownDelayMs: o.shutdownDelayMs ?? 50,
    haDelayMs: o.haDelayMs ?? 200,
    migrationDelayMs: o.migrationDelayMs ?? 50,
    waitsyncIntervalMs: o.waitsyncIntervalMs,
    repositories: o.repositories ?? 'no-subscription',
    subscription: o.subscription ?? false,
    timesync: o.timesync ?? 'chrony',
    acmeCertificate: o.acmeCertificate ?? true,
    domain: o.domain ?? 'pvefleet.test',
    cpus: o.cpus ?? 8,
    smart: o.smart ?? {},
    transientTimerScale: o.transientTimerScale ?? 1,
    log: o.log ?? (() => {}),
  };
}
