import { resolveOptions, ResolvedOptions, SimulatorOptions } from './options';
import { buildWorld } from './build';
import type { SimCluster } from './model/cluster';
import type { SimNode } from './model/node';
import { Scheduler } from './model/scheduler';
import type { SimContext } from './model/sim-context';
import { Rng } from './util/rng';
import { coreutils } from './coreutils';
import { pvePrograms } from './pve';
import { Authenticator } from './ssh/auth';
import { makeHostKey } from './ssh/host-key';
import { NodeServer } from './ssh/node-server';
import { SimulatorControl } from './control/operations';
import { startControlServer, ControlServer } from './control/http-api';

export interface NodeInfo {
  name: string;
  cluster: string;
  host: string;
  port: number;
  /** `SHA256:…` as `ssh-keygen -lf` prints it. */
  hostKeyFingerprint: string;
  /** `ssh-ed25519 AAAA… <name>`, for a known_hosts line. */
  hostPublicKey: string;
  user: string;
}

/**
 * A running simulator: many PVE nodes, each an SSH server on loopback.
 * The fault and state methods come from SimulatorControl.
 */
export class Simulator extends SimulatorControl {
  controlUrl?: string;
  private control?: ControlServer;

  private constructor(
    readonly options: ResolvedOptions,
    readonly clusters: SimCluster[],
    nodes: SimNode[],
    readonly servers: Map<string, NodeServer>,
    private readonly scheduler: Scheduler,
    rng: Rng,
  ) {
    super(nodes, clusters, servers, rng);
  }

  static async start(input: SimulatorOptions = {}): Promise<Simulator> {
    const options = resolveOptions(input);
    const scheduler = new Scheduler();
    const rng = new Rng(options.seed);
    const sim: SimContext = { options, scheduler, rng, now: () => Date.now() };
    const { clusters, nodes } = buildWorld(sim);
    const auth = new Authenticator(options.auth);
    const servers = new Map<string, NodeServer>();
    const listens: (() => Promise<void>)[] = [];
    for (const node of nodes) {
      node.usePrograms(pvePrograms, coreutils);
      const server = new NodeServer(node, makeHostKey(node.rng.fork('hostkey'), `root@${node.name}`), auth);
      servers.set(node.name, server);
      listens.push(() => server.listen(addressOf(options, node.globalIndex), portOf(options, node.globalIndex)));
    }
    const simulator = new Simulator(options, clusters, nodes, servers, scheduler, rng);
    try {
      await Promise.all(listens.map((listen) => listen()));
      if (options.controlPort !== false) {
        simulator.control = await startControlServer(simulator, options.controlPort, options.host);
        simulator.controlUrl = simulator.control.url;
      }
    } catch (err) {
      await simulator.stop();
      throw err;
    }
    simulator.logStart();
    return simulator;
  }

  nodes(): NodeInfo[] {
    return this.allNodes.map((n) => this.info(n.name));
  }

  info(name: string): NodeInfo {
    const n = this.node(name);
    return {
      name: n.name,
      cluster: n.cluster.name,
      host: n.host,
      port: n.port,
      hostKeyFingerprint: n.hostKeyFingerprint,
      hostPublicKey: this.servers.get(name)?.key.publicKey ?? '',
      user: this.options.auth.user,
    };
  }

  /** Where every node and the control API listen, so a log file alone tells how to reach them. */
  private logStart(): void {
    const log = this.options.log;
    for (const n of this.nodes()) log(`${n.name} (${n.cluster}) listening on ${n.host}:${n.port}, host key ${n.hostKeyFingerprint}`);
    log(this.controlUrl ? `control API on ${this.controlUrl} (faults, power, state: see apps/simulator/README.md)` : 'no control API');
  }

  /** Stops every listener, connection, timer and background job. */
  async stop(): Promise<void> {
    this.scheduler.clearAll();
    for (const n of this.allNodes) {
      n.lifecycle.abort({ kind: 'node-down' });
      n.transport?.down();
    }
    await this.control?.close();
    this.control = undefined;
  }
}

export function startSimulator(options?: SimulatorOptions): Promise<Simulator> {
  return Simulator.start(options);
}

function addressOf(o: ResolvedOptions, i: number): string {
  if (o.sharedPort === undefined) return o.host;
  return `127.${1 + Math.floor(i / 65536)}.${(i >> 8) & 255}.${i & 255}`;
}

function portOf(o: ResolvedOptions, i: number): number {
  if (o.sharedPort !== undefined) return o.sharedPort;
  return o.basePort ? o.basePort + i - 1 : 0;
}
