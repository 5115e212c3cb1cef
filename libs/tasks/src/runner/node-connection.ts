import type { NodeAccess, NodeConnectionRow } from '@pvefleet/nodes';
import { connectSsh, type SshPool, type SshSession } from '@pvefleet/ssh';
import type { TaskLog } from '../log/task-log.writer';

/** Opens (or reuses) the one SSH connection a task works over, recording the host key on first contact. */
export class NodeConnector {
  constructor(
    private readonly nodes: NodeAccess,
    private readonly pool: SshPool,
  ) {}

  async open(node: NodeConnectionRow, log: TaskLog, opts: { pooled: boolean } = { pooled: true }): Promise<NodeConnection> {
    const { target, poolKey } = this.nodes.target(node);
    const pooled = opts.pooled ? this.pool.take(poolKey, node.hostKeyFingerprint) : undefined;
    if (pooled) return new NodeConnection(pooled, poolKey, this.pool);
    const session = await connectSsh(target);
    try {
      await this.nodes.pinHostKey(node, session.hostKey);
    } catch (err) {
      session.close();
      throw err;
    }
    if (!node.hostKeyFingerprint) {
      log.write('sys', `host key ${session.hostKey.fingerprint} (${session.hostKey.algorithm ?? 'unknown type'}) recorded on first contact`);
      node.hostKeyFingerprint = session.hostKey.fingerprint;
      node.hostKeyAlgorithm = session.hostKey.algorithm ?? null;
    }
    return new NodeConnection(session, poolKey, this.pool);
  }
}

export class NodeConnection {
  constructor(
    public session: SshSession,
    private readonly poolKey: string,
    private readonly pool: SshPool,
  ) {}

  /** Keeps the connection for the next task when it is still good, else closes it. */
  release(reusable: boolean): void {
    if (reusable && this.session.usable) this.pool.give(this.poolKey, this.session);
    else this.session.close();
  }
}
