import type { NodeProgram } from '../model/node';
import { fail } from '../shell/command';

const USAGE = 'flock: usage: flock [-w seconds] [-n] [-E code] <file> <command> [<argument>...]';

/**
 * util-linux `flock [-x] [-w secs] [-n] [-E code] FILE COMMAND [ARGS…]` and `flock FILE -c CMD`:
 * runs the command while holding an exclusive lock on FILE. On conflict (`-n`, or `-w` expired) it
 * exits 1, or the `-E` code, without running anything. Locks are the node's (see FileLocks).
 */
export const flockPrograms: Record<string, NodeProgram> = {
  flock: async (node, ctx) => {
    const args = ctx.argv.slice(1);
    let waitMs = Infinity;
    let conflictCode = 1;
    for (let opt = args.at(0); opt?.startsWith('-') && opt !== '--'; opt = args.at(0)) {
      args.shift();
      if (opt === '-x' || opt === '--exclusive' || opt === '-o' || opt === '--close') continue;
      if (opt === '-n' || opt === '--nonblock') waitMs = 0;
      else if (opt === '-w' || opt === '--timeout') waitMs = Number(args.shift()) * 1000;
      else if (opt === '-E' || opt === '--conflict-exit-code') conflictCode = Number(args.shift());
      else return fail(ctx, `flock: unsupported option ${opt}\n${USAGE}`, 64);
      if (Number.isNaN(waitMs) || Number.isNaN(conflictCode)) return fail(ctx, USAGE, 64);
    }
    if (args[0] === '--') args.shift();
    const [path, ...command] = args;
    if (!path || !command.length) return fail(ctx, USAGE, 64);
    const argv = command[0] === '-c' ? ['sh', '-c', command.slice(1).join(' ')] : command;
    const release = await node.locks.acquire(ctx.fs.resolve(path, ctx.cwd), argv.join(' '), ctx.signal, waitMs);
    if (!release) return ctx.signal.aborted ? 130 : conflictCode;
    try {
      return await ctx.runArgv(argv, ctx.io);
    } finally {
      release();
    }
  },
};
