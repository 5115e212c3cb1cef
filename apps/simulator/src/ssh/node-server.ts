import { createServer, Server as NetServer, Socket } from 'node:net';
import { Server as SshServer } from 'ssh2';
import type { NodeTransport, SimNode } from '../model/node';
import type { Authenticator } from './auth';
import { HostKey } from './host-key';
import { serveSession } from './session';
import { coalesceWrites } from './coalesce-writes';

let nextConnId = 1;

/**
 * One node's SSH endpoint: its own TCP listener on loopback and its own host
 * key. The listener is ours (not ssh2's) so that rebooting, going offline
 * or refusing connections can close and reopen it on the same port, and a
 * host-key rotation only swaps the ssh2 protocol server behind it.
 */
export class NodeServer implements NodeTransport {
  private listener?: NetServer;
  private ssh: SshServer;
  private readonly sockets = new Map<number, Socket>();

  constructor(
    private readonly node: SimNode,
    private hostKey: HostKey,
    private readonly auth: Authenticator,
  ) {
    this.ssh = this.makeSshServer();
    node.transport = this;
    node.hostKeyFingerprint = hostKey.fingerprint;
  }

  get key(): HostKey {
    return this.hostKey;
  }

  async listen(host: string, port: number): Promise<void> {
    this.node.host = host;
    this.node.port = port;
    await this.up();
  }

  /** Closes the listener (new connections are refused) and destroys every open connection. */
  down(): void {
    this.listener?.close();
    this.listener = undefined;
    for (const s of this.sockets.values()) s.destroy();
    this.sockets.clear();
  }

  async up(): Promise<void> {
    if (this.listener || this.node.power !== 'online' || this.node.faults.connections === 'refuse') return;
    const listener = createServer((socket) => {
      this.accept(socket);
    });
    this.listener = listener;
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen({ host: this.node.host, port: this.node.port, exclusive: true }, () => {
        listener.off('error', reject);
        resolve();
      });
    });
    const addr = listener.address();
    if (addr && typeof addr === 'object') this.node.port = addr.port;
  }

  dropSession(connId: number): void {
    this.sockets.get(connId)?.destroy();
  }

  rotateHostKey(key: HostKey): void {
    this.hostKey = key;
    this.ssh = this.makeSshServer();
    this.node.hostKeyFingerprint = key.fingerprint;
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    coalesceWrites(socket);
    socket.on('error', () => undefined);
    // A node whose management address just went (network.ts) takes no new connection, even while
    // its listener lingers for the command that cut it off to report its exit status.
    if (this.node.faults.connections === 'reset' || this.node.power !== 'online' || this.node.network?.cutOff) {
      socket.destroy();
      return;
    }
    const id = nextConnId++;
    this.sockets.set(id, socket);
    socket.once('close', () => this.sockets.delete(id));
    this.node.counters.connections++;
    (socket as Socket & { simConnId?: number }).simConnId = id;
    this.ssh.injectSocket(socket);
  }

  private makeSshServer(): SshServer {
    const server = new SshServer({ hostKeys: [this.hostKey.privateKey], ident: 'OpenSSH_9.2p1 Debian-2+deb12u7' }, (client) => {
      const sock = (client as unknown as { _sock?: Socket & { simConnId?: number } })._sock;
      const connId = sock?.simConnId ?? 0;
      const closed = new AbortController();
      client.on('error', () => undefined);
      client.on('close', () => {
        closed.abort({ kind: 'closed' });
      });
      client.on('authentication', (ctx) => {
        const ok = this.auth.handle(ctx, !!this.node.faults.rejectAuth);
        if (ok === false) this.node.counters.authFailures++;
      });
      client.on('ready', () => {
        client.on('session', (accept) => {
          serveSession(this.node, accept(), connId, closed.signal);
        });
      });
    });
    server.on('error', () => undefined);
    return server;
  }
}
