import { utils } from 'ssh2';
import { expect } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '@pvefleet/simulator';
import type { Stack } from './stack';
import { uniqueName } from './tasks';

/** A throwaway ed25519 key; ssh2's generator makes a malformed one about 1 time in 256, so check it. */
export function clientKey(): { privateKey: string; publicKey: string } {
  for (;;) {
    const k = utils.generateKeyPairSync('ed25519', { comment: 'pvefleet-test' });
    if (!(utils.parseKey(k.private) instanceof Error)) return { privateKey: k.private, publicKey: k.public };
  }
}

/**
 * A simulated Proxmox cluster in the test process, logged into with a throwaway key. Node names
 * are unique per fleet, so every test file can share the run's database.
 */
export class TestFleet {
  private constructor(
    readonly sim: Simulator,
    readonly privateKey: string,
    readonly names: string[],
  ) {}

  static async start(
    opts: {
      nodes?: number;
      pveMajor?: 8 | 9;
      ceph?: boolean;
      /** Several clusters instead of one (each `{ nodes, ceph?, pveMajor? }`). */
      clusters?: { nodes: number; ceph?: boolean; pveMajor?: 8 | 9 }[];
      /** Standalone nodes (no cluster), besides or instead of clusters. */
      standalone?: number;
      sim?: Partial<SimulatorOptions>;
    } = {},
  ): Promise<TestFleet> {
    const key = clientKey();
    const clusters = (
      opts.clusters ??
      (opts.standalone && opts.nodes === undefined ? [] : [{ nodes: opts.nodes ?? 3, ceph: opts.ceph, pveMajor: opts.pveMajor }])
    ).map((c) => ({
      name: uniqueName('lab'),
      nodes: c.nodes,
      namePrefix: `${uniqueName('pve')}-`,
      pveMajor: c.pveMajor ?? opts.pveMajor ?? 8,
      ceph: c.ceph,
    }));
    const sim = await startSimulator({
      clusters,
      ...(opts.standalone
        ? { standalone: { count: opts.standalone, pveMajor: opts.pveMajor ?? 8, namePrefix: `${uniqueName('sa')}-` } }
        : {}),
      controlPort: false,
      auth: { user: 'root', password: null, authorizedKeys: [key.publicKey] },
      rebootDelayMs: 300,
      haDelayMs: 20,
      migrationDelayMs: 5,
      ...opts.sim,
    });
    return new TestFleet(
      sim,
      key.privateKey,
      sim.nodes().map((n) => n.name),
    );
  }

  /** Registers every node with pvefleet, pinning the host key the simulator reports. */
  async register(stack: Stack, names = this.names): Promise<string[]> {
    for (const name of names) {
      const n = this.sim.info(name);
      const res = await stack.http.post('/nodes', {
        name,
        host: n.host,
        port: n.port,
        sshUser: 'root',
        credential: { type: 'key', privateKey: this.privateKey },
        hostKeyFingerprint: n.hostKeyFingerprint,
        labels: { cluster: n.cluster },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    return names;
  }

  stop(): Promise<void> {
    return this.sim.stop();
  }
}
