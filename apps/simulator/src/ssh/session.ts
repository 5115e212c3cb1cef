import type { ServerChannel, Session } from 'ssh2';
import type { SimNode } from '../model/node';
import { Interpreter } from '../shell/interpreter';
import { Aborted, ProcessIO, Stdin } from '../shell/io';

/** The environment sshd gives a root login on PVE, plus LANG/LC_* the client sent (AcceptEnv). */
function loginEnv(node: SimNode, connId: number, clientEnv: Map<string, string>): Map<string, string> {
  const env = new Map<string, string>([
    ['HOME', '/root'],
    ['USER', 'root'],
    ['LOGNAME', 'root'],
    ['SHELL', '/bin/bash'],
    ['PWD', '/root'],
    ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ['LANG', 'C.UTF-8'],
    ['SSH_CONNECTION', `127.0.0.1 0 ${node.host} ${node.port}`],
    ['__SIM_CONN', String(connId)],
  ]);
  for (const [k, v] of clientEnv) if (k === 'LANG' || k.startsWith('LC_')) env.set(k, v);
  return env;
}

/** Reads the channel's stdin up to EOF, only when a program asks for it. */
function channelStdin(stream: ServerChannel, signal: AbortSignal): Stdin {
  const chunks: Buffer[] = [];
  let ended = false;
  const waiters: (() => void)[] = [];
  const wakeAll = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  stream.on('data', (d: Buffer) => {
    chunks.push(d);
  });
  stream.once('end', () => {
    ended = true;
    wakeAll();
  });
  signal.addEventListener('abort', wakeAll, { once: true });
  return {
    read: async () => {
      if (!ended && !signal.aborted)
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
        });
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/**
 * A channel request's reply callback. ssh2 passes one only when the client asked for a reply (want-reply);
 * @types/ssh2 declares it always present, so handlers take this wider type.
 */
type Reply = (() => void) | undefined;

/**
 * Serves one SSH session channel: env and pty requests are accepted, exec
 * runs a script, shell runs whatever arrives on stdin; a `signal` request or
 * a closed channel stops the running command and its timers.
 */
export function serveSession(node: SimNode, session: Session, connId: number, connClosed: AbortSignal): void {
  const clientEnv = new Map<string, string>();
  const ac = new AbortController();
  const onConnClose = (): void => {
    ac.abort({ kind: 'closed' });
  };
  connClosed.addEventListener('abort', onConnClose, { once: true });
  let interactive = false;

  session.on('env', (accept: Reply, _reject: Reply, info) => {
    clientEnv.set(info.key, info.val);
    accept?.();
  });
  session.on('pty', (accept: Reply) => {
    interactive = true;
    accept?.();
  });
  session.on('window-change', (accept: Reply) => {
    accept?.();
  });
  session.on('signal', (accept: Reply, _reject: Reply, info) => {
    accept?.();
    node.counters.signals++;
    ac.abort({ kind: 'signal', signal: info.name.replace(/^SIG/, '') });
  });
  session.on('subsystem', (_accept, reject: Reply) => {
    reject?.();
  });
  session.on('exec', (accept, _reject, info) => {
    const stream = accept();
    node.counters.execs++;
    void run(node, info.command, stream, connId, clientEnv, ac, onConnClose, connClosed);
  });
  session.on('shell', (accept) => {
    const stream = accept();
    if (interactive) {
      stream.stderr.write('pvefleet simulator: interactive shells are not supported; send commands with exec.\r\n');
      stream.exit(1);
      stream.end();
      return;
    }
    const stdin = channelStdin(stream, ac.signal);
    void stdin.read().then((script) => run(node, script, stream, connId, clientEnv, ac, onConnClose, connClosed, true));
  });
  session.on('close', () => {
    ac.abort({ kind: 'closed' });
  });
}

async function run(
  node: SimNode,
  command: string,
  stream: ServerChannel,
  connId: number,
  clientEnv: Map<string, string>,
  ac: AbortController,
  onConnClose: () => void,
  connClosed: AbortSignal,
  stdinUsed = false,
): Promise<void> {
  stream.on('close', () => {
    ac.abort({ kind: 'closed' });
  });
  const live = (): boolean => stream.writable && !ac.signal.aborted;
  const io: ProcessIO = {
    stdin: stdinUsed ? { read: () => Promise.resolve('') } : channelStdin(stream, ac.signal),
    stdout: { write: (s) => live() && stream.write(s) },
    stderr: { write: (s) => live() && stream.stderr.write(s) },
  };
  const pid = node.openSession(ac);
  const env = loginEnv(node, connId, clientEnv);
  env.set('__SIM_PID', String(pid));
  const shell = new Interpreter(node, ac.signal, { env, cwd: '/root' });
  const record = node.execHistory.begin(command);
  try {
    const code = await shell.run(command, io);
    if (stream.writable) {
      stream.exit(code);
      stream.end();
    }
  } catch (err) {
    if (err instanceof Aborted) {
      // Like sshd when the process dies of a signal: report exit-signal, then close.
      if (err.reason.kind === 'signal' && stream.writable) {
        stream.exit(err.reason.signal, false, '');
        stream.end();
      }
      return;
    }
    if (stream.writable) {
      stream.stderr.write(`pvefleet simulator: internal error: ${(err as Error).message}\n`);
      stream.exit(1);
      stream.end();
    }
  } finally {
    node.execHistory.end(record);
    node.closeSession(pid);
    connClosed.removeEventListener('abort', onConnClose);
  }
}
