import type { Socket } from 'node:net';

/**
 * ssh2 writes every packet to the socket on its own: a channel open, an exec request and an EOF
 * become separate syscalls. Corking on the first write of a tick and uncorking on the next turns a
 * tick's packets into one writev, without delaying anything past the current tick.
 */
export function coalesceWrites(sock: Socket): void {
  const write = sock.write.bind(sock) as (...args: unknown[]) => boolean;
  let corked = false;
  const uncork = () => {
    corked = false;
    sock.uncork();
  };
  sock.write = (...args: unknown[]) => {
    if (!corked) {
      corked = true;
      sock.cork();
      process.nextTick(uncork);
    }
    return write(...args);
  };
}
