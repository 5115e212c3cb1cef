import { Inject, Injectable } from '@nestjs/common';
import type { NodeConnectionRow } from '@pvefleet/nodes';
import { NodeAccess } from '@pvefleet/nodes/access';
import { SshError, SshPool, connectSsh, type SshSession } from '@pvefleet/ssh';
import type { TaskLog } from '../log/task-log.writer';
import { abortableSleep } from './step-executor';
import { TaskFailure } from '../task-failure';

const REACHABLE_POLL_MS = 1_000;

/** Opens (or reuses) the one SSH connection a task works over, recording the host key on first contact. */
@Injectable()
export class NodeConnector {
  constructor(
    @Inject(NodeAccess) private readonly nodes: NodeAccess,
    @Inject(SshPool) private readonly pool: SshPool,
  ) {}

  async open(node: NodeConnectionRow, log: TaskLog, opts: { pooled: boolean } = { pooled: true }): Promise<NodeConnection> {
    const poolKey = this.nodes.poolKey(node);
    const pooled = opts.pooled ? this.pool.take(poolKey, node.hostKeyFingerprint) : undefined;
    if (pooled) return new NodeConnection(pooled, poolKey, this.pool);
    const session = await connectSsh(this.nodes.target(node));
    try {
      await this.nodes.pinHostKey(node, session.hostKey);
    } catch (err) {
      session.close();
      throw err;
    }
    if (!node.hostKeyFingerprint) {
      log.write(
        'sys',
        `host key ${session.hostKey.fingerprint} (${session.hostKey.algorithm ?? 'unknown type'}) recorded on first contact`,
      );
      node.hostKeyFingerprint = session.hostKey.fingerprint;
      node.hostKeyAlgorithm = session.hostKey.algorithm ?? null;
    }
    if (opts.pooled) this.pool.add(poolKey, session);
    return new NodeConnection(session, poolKey, opts.pooled ? this.pool : undefined);
  }

  /**
   * `open`, retrying for up to `waitMs` while the node cannot be reached (refused, timed out): the
   * node may be rebooting (or restoring its network: `why`). A host-key mismatch or a refused login
   * still fails at once. `pooled: false` makes a new connection that no other task shares.
   */
  async openWhenReachable(
    node: NodeConnectionRow,
    log: TaskLog,
    abort: AbortSignal,
    waitMs: number,
    opts: { pooled?: boolean; why?: string } = {},
  ): Promise<NodeConnection> {
    const deadline = Date.now() + waitMs;
    let announced = false;
    for (;;) {
      try {
        return await this.open(node, log, { pooled: opts.pooled ?? true });
      } catch (err) {
        if (!(err instanceof SshError) || err.permanent || Date.now() + REACHABLE_POLL_MS > deadline) throw err;
        if (!announced) {
          log.write('sys', `${err.message}; ${opts.why ?? 'the node may be rebooting'}: retrying for up to ${Math.round(waitMs / 1000)} s`);
          announced = true;
        }
        await abortableSleep(REACHABLE_POLL_MS, abort);
        if (abort.aborted) throw new TaskFailure('received interrupt (while waiting for the node to be reachable)', 'cancelled');
      }
    }
  }
}

export class NodeConnection {
  private released = false;

  constructor(
    public session: SshSession,
    private readonly poolKey: string,
    private readonly pool: SshPool | undefined,
  ) {}

  /**
   * Done with the connection. A pooled one stays for other tasks while it lives (a failed command
   * does not hurt the connection it ran on); `discard` closes it (e.g. before a reboot). Only the
   * first call counts (a connection replaced by a new one is released where it is replaced).
   */
  release(discard = false): void {
    if (this.released) return;
    this.released = true;
    if (!this.pool) {
      this.session.close();
      return;
    }
    if (discard) this.session.close();
    this.pool.give(this.poolKey, this.session);
  }
}
