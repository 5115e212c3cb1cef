import type { Socket } from 'node:net';

/**
 * ssh2 writes every packet on its own (channel confirmation, exec success, output, exit status,
 * close): one syscall each. Corking on a tick's first write and uncorking on the next turns them
 * into one writev, so the simulator spends its CPU on answering, not on syscalls.
 */
export function coalesceWrites(sock: Socket): void {
  const write = sock.write.bind(sock) as (...args: unknown[]) => boolean;
  let corked = false;
  const uncork = (): void => {
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
