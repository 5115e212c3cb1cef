import { createHash } from 'node:crypto';
import type { PgPool } from '@pvefleet/db';
import type { NodeFacts } from '@pvefleet/jobs';
import type { SecretBox } from '@pvefleet/secrets';
import { HostKeyMismatchError, type HostKeySeen, type SshTarget } from '@pvefleet/ssh';
import { openCredential } from '../credentials';
import type { NodeConnectionRow } from '../node-connection-row';

/** The worker's side of nodes: how to log in, trust on first use, and where facts go. */
export class NodeAccess {
  constructor(
    private readonly pool: PgPool,
    private readonly box: SecretBox,
    private readonly connectTimeoutMs: number,
  ) {}

  /** Which pooled connections may serve this node: same address, login and credential. No decryption. */
  poolKey(node: NodeConnectionRow): string {
    return createHash('sha256').update(`${node.id}\0${node.sshUser}@${node.host}:${node.port}\0${node.credential}`).digest('base64url');
  }

  /** How to open a new connection: the credential is decrypted only here, when one is needed. */
  target(node: NodeConnectionRow): SshTarget {
    const c = openCredential(this.box, node.name, node.credential);
    const target: SshTarget = {
      host: node.host,
      port: node.port,
      username: node.sshUser,
      ...(c.type === 'key' ? { privateKey: c.privateKey, passphrase: c.passphrase } : { password: c.password }),
      pinnedFingerprint: node.hostKeyFingerprint,
      pinnedAlgorithm: node.hostKeyAlgorithm,
      connectTimeoutMs: this.connectTimeoutMs,
    };
    return target;
  }

  /**
   * Trust on first use: records the key seen at first contact. If another worker recorded a different
   * key meanwhile, this connection is the odd one out and must not be used.
   */
  async pinHostKey(node: NodeConnectionRow, seen: HostKeySeen): Promise<void> {
    if (node.hostKeyFingerprint) return;
    const { rows } = await this.pool.query<{ fp: string }>(
      `WITH pinned AS (
         UPDATE node SET host_key_fingerprint = $2, host_key_algorithm = $3
          WHERE id = $1 AND host_key_fingerprint IS NULL RETURNING host_key_fingerprint AS fp
       )
       SELECT fp FROM pinned UNION ALL SELECT host_key_fingerprint FROM node WHERE id = $1 LIMIT 1`,
      [node.id, seen.fingerprint, seen.algorithm ?? null],
    );
    const pinned = rows[0]?.fp;
    if (pinned && pinned !== seen.fingerprint) {
      throw new HostKeyMismatchError(`${node.sshUser}@${node.host}:${node.port}`, pinned, seen.fingerprint);
    }
  }

  /**
   * Stores the facts the node just gave (so it was reached: a failed collection noted before is
   * cleared) and, when given, what desired state observes in them (`node.observed`).
   */
  async saveFacts(nodeId: number, facts: NodeFacts, observed?: Record<string, unknown>): Promise<void> {
    await this.pool.query(
      `UPDATE node SET facts = $2, facts_at = now(), observed = COALESCE($3::jsonb, observed), facts_error = NULL, facts_error_at = NULL
        WHERE id = $1`,
      [nodeId, JSON.stringify(facts), observed ? JSON.stringify(observed) : null],
    );
  }

  /** A facts collection that could not reach or read the node: its drift is unknown until the next one works. */
  async saveFactsError(nodeId: number, message: string): Promise<void> {
    await this.pool.query(`UPDATE node SET facts_error = $2, facts_error_at = now() WHERE id = $1`, [nodeId, message]);
  }
}
