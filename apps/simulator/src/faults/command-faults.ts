import type { CommandContext, CommandHandler } from '../shell/command';
import { BufferSink, sleep, waitForAbort } from '../shell/io';
import type { CommandFault } from './types';

export interface FaultHooks {
  /** Destroys the node's TCP connection carrying this command. */
  dropConnection(ctx: CommandContext): void;
}

/** Finds the first fault matching this command line and uses up one of its `times`. */
export function takeFault(faults: CommandFault[], argv: string[]): CommandFault | undefined {
  if (!faults.length) return undefined;
  const line = argv.join(' ');
  const idx = faults.findIndex((f) => f.match.test(line));
  if (idx < 0) return undefined;
  const fault = faults[idx];
  fault.hits++;
  if (fault.remaining !== undefined && --fault.remaining <= 0) faults.splice(idx, 1);
  return fault;
}

/** Wraps a program so the fault replaces or distorts what it does. */
export function applyFault(fault: CommandFault, handler: CommandHandler | undefined, hooks: FaultHooks): CommandHandler {
  const action = fault.action;
  switch (action.kind) {
    case 'fail':
      return (ctx) => {
        if (action.stdout) ctx.io.stdout.write(action.stdout);
        if (action.stderr) ctx.io.stderr.write(action.stderr.endsWith('\n') ? action.stderr : action.stderr + '\n');
        return action.exitCode;
      };
    case 'hang':
      return (ctx) => waitForAbort(ctx.signal);
    case 'slow':
      return async (ctx) => {
        const out = new BufferSink();
        const status = handler ? await handler({ ...ctx, io: { ...ctx.io, stdout: out } }) : 127;
        const lines = out.data.split(/(?<=\n)/);
        for (let i = 0; i < lines.length; i++) {
          if (i > 0) await sleep(action.lineDelayMs, ctx.signal);
          ctx.io.stdout.write(lines[i]);
        }
        return status;
      };
    case 'drop':
      return async (ctx) => {
        const out = new BufferSink();
        if (handler) await handler({ ...ctx, io: { ...ctx.io, stdout: out } });
        ctx.io.stdout.write(out.data.slice(0, Math.floor(out.data.length / 2)));
        // Let the partial output reach the socket before the connection dies.
        await sleep(20, ctx.signal);
        hooks.dropConnection(ctx);
        return waitForAbort(ctx.signal);
      };
  }
}
