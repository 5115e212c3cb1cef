import type { NodeProgram } from '../model/node';
import { fail } from '../shell/command';

const SIGNALS = ['HUP', 'INT', 'QUIT', 'KILL', 'TERM', 'USR1', 'USR2'];

/**
 * `kill [-SIG | -s SIG] [--] PID…`: stops another SSH session of this node by its `$$` (a negative
 * PID names the process group, which for a login shell is the same number). pvefleet cancels
 * commands this way, because sshd ignores `signal` requests for root logins.
 */
export const processPrograms: Record<string, NodeProgram> = {
  kill: (node, ctx) => {
    const args = ctx.argv.slice(1);
    let signal = 'TERM';
    for (let a = args.at(0); a?.startsWith('-') && a !== '--' && !/^-\d+$/.test(a); a = args.at(0)) {
      args.shift();
      const name = (a === '-s' ? (args.shift() ?? '') : a.slice(1)).toUpperCase().replace(/^SIG/, '');
      if (!SIGNALS.includes(name)) return fail(ctx, `bash: kill: ${name}: invalid signal specification`);
      signal = name;
    }
    if (args[0] === '--') args.shift();
    if (!args.length) return fail(ctx, 'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]', 2);
    let status = 0;
    for (const a of args) {
      const pid = Math.abs(Number.parseInt(a, 10));
      const session = Number.isFinite(pid) ? node.sessions.get(pid) : undefined;
      if (!session) {
        status = fail(ctx, `bash: kill: (${a}) - No such process`);
        continue;
      }
      node.counters.signals++;
      session.abort({ kind: 'signal', signal });
    }
    return status;
  },
};
