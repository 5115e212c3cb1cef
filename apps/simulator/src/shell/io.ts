/** Where a command's output goes. Writes never block: outputs are small and ssh2 queues them. */
export interface Sink {
  write(data: string): void;
}

export class BufferSink implements Sink {
  data = '';
  write(data: string): void {
    this.data += data;
  }
}

export const NULL_SINK: Sink = { write: () => undefined };

/** A command's standard input, read whole (the channel's is read up to its EOF). */
export interface Stdin {
  read(): Promise<string>;
}

export const stringStdin = (text: string): Stdin => ({ read: () => Promise.resolve(text) });
export const EMPTY_STDIN = stringStdin('');

export interface ProcessIO {
  stdin: Stdin;
  stdout: Sink;
  stderr: Sink;
}

/** Thrown by `exit N` (and by `set -e`) to unwind to the script's boundary. */
export class ExitRequest extends Error {
  constructor(readonly status: number) {
    super(`exit ${status}`);
  }
}

/** Thrown when the command was stopped from outside (signal, closed channel, timeout). */
export class Aborted extends Error {
  constructor(readonly reason: AbortReason) {
    super(`aborted: ${reason.kind}`);
  }
}

export type AbortReason = { kind: 'signal'; signal: string } | { kind: 'closed' } | { kind: 'timeout' } | { kind: 'node-down' };

export function abortReason(signal: AbortSignal): AbortReason {
  const r = signal.reason as AbortReason | undefined;
  return r && typeof r === 'object' && 'kind' in r ? r : { kind: 'closed' };
}

/** A sleep that ends early (rejecting with Aborted) when the signal fires, and leaves no timer behind. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new Aborted(abortReason(signal)));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Aborted(abortReason(signal)));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits until the signal fires: the body of a hanging command. */
export function waitForAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(new Aborted(abortReason(signal)));
    else
      signal.addEventListener(
        'abort',
        () => {
          reject(new Aborted(abortReason(signal)));
        },
        { once: true },
      );
  });
}
