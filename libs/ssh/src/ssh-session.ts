import { Logger } from '@nestjs/common';
import type { Client, ClientChannel } from 'ssh2';
import { LineSplitter } from './line-splitter';
import { SshConnectionLostError } from './ssh-errors';

export type OutputStream = 'stdout' | 'stderr';

export interface ExecOptions {
  timeoutMs: number;
  /** Aborting stops the remote command (cancel). */
  signal?: AbortSignal;
  onLine(stream: OutputStream, line: string): void;
  /** When the consumer falls behind, reading pauses (the remote side blocks) until it drains. */
  backpressure?: { saturated(): boolean; drained(): Promise<void> };
  /** Fields for the process-log lines about this command (the task's upid, node, rollout). */
  logFields?: Readonly<Record<string, string | number>>;
}

export interface ExecResult {
  /** Exit status; null when the command died from a signal or was stopped. */
  code: number | null;
  exitSignal?: string;
  /** Set when pvefleet stopped the command. */
  stopped?: 'timeout' | 'interrupt';
}

export interface HostKeySeen {
  fingerprint: string;
  algorithm?: string;
}

/** After TERM, a stopped command gets this long to exit before it gets KILL and its channel is closed. */
const logger = new Logger('SshSession');
const STOP_GRACE_MS = 3_000;

/**
 * sshd ignores `signal` requests for root logins (post-auth privilege separation is skipped for root)
 * and, without a pty, closing the channel does not stop the command. But sshd makes every session's
 * shell a process-group leader, so each command first reports `$$` on stderr; stopping it is then a
 * `kill` of that group over a second channel, which works for every user.
 */
const PGID_MARKER = '\u001epvefleet-pgid=';
export function wrapWithPgidMarker(command: string): string {
  return `printf '\\036pvefleet-pgid=%s\\n' "$$" >&2\n${command}`;
}

/** One SSH connection to one node; runs commands one channel each, streaming output line by line. */
export class SshSession {
  private lost = false;
  /** Why the connection ended, when it ended with an error: named by the next command that fails on it. */
  private lostBecause?: Error;

  constructor(
    readonly client: Client,
    readonly target: string,
    readonly hostKey: HostKeySeen,
  ) {
    // Errors after the handshake (a reset, a rebooting node) must not crash the process: they end the session.
    client.on('error', (err: Error) => {
      this.lost = true;
      this.lostBecause = err;
    });
    client.on('close', () => {
      this.lost = true;
    });
    client.setMaxListeners(0);
  }

  get usable(): boolean {
    return !this.lost;
  }

  exec(command: string, opts: ExecOptions): Promise<ExecResult> {
    if (this.lost) {
      const why = this.lostBecause ? ` (${this.lostBecause.message})` : '';
      return Promise.reject(new SshConnectionLostError(`connection to ${this.target} is closed${why}`, { cause: this.lostBecause }));
    }
    return new Promise((resolve, reject) => {
      this.client.exec(wrapWithPgidMarker(command), (err, channel) => {
        if (err) {
          reject(new SshConnectionLostError(`cannot start command on ${this.target}: ${err.message}`, { cause: err }));
          return;
        }
        this.drive(channel, opts, resolve);
      });
    });
  }

  close(): void {
    this.lost = true;
    this.client.end();
  }

  private killGroup(pgid: number | undefined, signal: 'TERM' | 'KILL', logFields: ExecOptions['logFields']): void {
    if (!pgid || pgid < 2 || this.lost) return;
    this.client.exec(`kill -${signal} -- -${pgid}`, (err, ch) => {
      if (err) {
        // The command then runs on until its channel closes; say so rather than stop silently.
        logger.warn({ ...logFields }, `${this.target}: cannot send ${signal} to process group ${pgid}: ${err.message}`);
        return;
      }
      ch.resume();
      ch.stderr.resume();
    });
  }

  private drive(channel: ClientChannel, opts: ExecOptions, resolve: (r: ExecResult) => void): void {
    let pgid: number | undefined;
    const stdout = new LineSplitter((line) => {
      opts.onLine('stdout', line);
    });
    const stderr = new LineSplitter((line) => {
      if (pgid === undefined && line.startsWith(PGID_MARKER)) {
        pgid = Number.parseInt(line.slice(PGID_MARKER.length), 10) || 0;
        return;
      }
      opts.onLine('stderr', line);
    });
    const result: ExecResult = { code: null };
    let exited = false;
    let killTimer: NodeJS.Timeout | undefined;
    let paused = false;

    const stop = (reason: 'timeout' | 'interrupt') => {
      if (result.stopped || exited) return;
      result.stopped = reason;
      this.killGroup(pgid, 'TERM', opts.logFields);
      killTimer = setTimeout(() => {
        this.killGroup(pgid, 'KILL', opts.logFields);
        channel.close();
      }, STOP_GRACE_MS);
    };
    const timer = setTimeout(() => {
      stop('timeout');
    }, opts.timeoutMs);
    const onAbort = () => {
      stop('interrupt');
    };
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const throttle = () => {
      const bp = opts.backpressure;
      if (!bp || paused || !bp.saturated()) return;
      paused = true;
      channel.pause();
      channel.stderr.pause();
      void bp.drained().then(() => {
        paused = false;
        channel.resume();
        channel.stderr.resume();
      });
    };
    channel.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      throttle();
    });
    channel.stderr.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      throttle();
    });
    channel.on('exit', (code: number | null, signalName?: string) => {
      exited = true;
      result.code = typeof code === 'number' ? code : null;
      if (signalName) result.exitSignal = signalName;
    });
    channel.on('close', () => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      stdout.end();
      stderr.end();
      if (!exited && !result.stopped && this.lost) result.exitSignal = 'connection lost';
      resolve(result);
    });
  }
}
