import { CommandContext, CommandHandler, fail, out } from '../shell/command';
import { Aborted, sleep } from '../shell/io';
import { formatPrintf, interpretEscapes } from './printf';
import { formatDate } from './date';

/** Shell-level programs that do not touch files: echo, printf, sleep, timeout, sh, env … */
export const basicCommands: Record<string, CommandHandler> = {
  true: () => 0,
  false: () => 1,
  ':': () => 0,
  echo,
  printf: (ctx) => {
    if (!ctx.argv[1]) return fail(ctx, 'printf: usage: printf [-v var] format [arguments]', 2);
    out(ctx, formatPrintf(ctx.argv[1], ctx.argv.slice(2)));
    return 0;
  },
  sleep: sleepCommand,
  timeout,
  sh: shell,
  bash: shell,
  dash: shell,
  env,
  nohup: (ctx) => ctx.runArgv(ctx.argv.slice(1), ctx.io),
  sudo: (ctx) => {
    const rest = ctx.argv.slice(1);
    while (rest[0]?.startsWith('-')) rest.splice(0, rest[0] === '-u' ? 2 : 1);
    return rest.length ? ctx.runArgv(rest, ctx.io) : fail(ctx, 'usage: sudo -h | -K | -k | -V', 1);
  },
  id: (ctx) => {
    const a = ctx.argv.slice(1);
    out(
      ctx,
      a.includes('-u')
        ? '0\n'
        : a.includes('-un') || (a.includes('-u') && a.includes('-n'))
          ? 'root\n'
          : 'uid=0(root) gid=0(root) groups=0(root)\n',
    );
    return 0;
  },
  whoami: (ctx) => (out(ctx, 'root\n'), 0),
  date: (ctx) => formatDate(ctx),
  basename: (ctx) => {
    const p = ctx.argv[1] ?? '';
    let b = p.replace(/\/+$/, '').split('/').pop() || '/';
    if (ctx.argv[2] && b.endsWith(ctx.argv[2])) b = b.slice(0, -ctx.argv[2].length);
    out(ctx, b + '\n');
    return 0;
  },
  dirname: (ctx) => {
    const p = (ctx.argv[1] ?? '.').replace(/\/+$/, '');
    const i = p.lastIndexOf('/');
    out(ctx, (i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i)) + '\n');
    return 0;
  },
  seq: (ctx) => {
    const n = ctx.argv.slice(1).map(Number);
    const [from, to] = n.length >= 2 ? [n[0], n[n.length - 1]] : [1, n[0]];
    const step = n.length === 3 ? n[1] : 1;
    let s = '';
    for (let i = from; step > 0 ? i <= to : i >= to; i += step) s += `${i}\n`;
    out(ctx, s);
    return 0;
  },
};

function echo(ctx: CommandContext): number {
  const args = ctx.argv.slice(1);
  let newline = true;
  let escapes = false;
  while (args.length && /^-[neE]+$/.test(args[0])) {
    const f = args.shift() as string;
    if (f.includes('n')) newline = false;
    if (f.includes('e')) escapes = true;
    if (f.includes('E')) escapes = false;
  }
  let text = args.join(' ');
  if (escapes) text = interpretEscapes(text);
  out(ctx, text + (newline ? '\n' : ''));
  return 0;
}

/** `sleep N[smhd]…`: really waits, but stops as soon as the command is aborted. */
async function sleepCommand(ctx: CommandContext): Promise<number> {
  const args = ctx.argv.slice(1);
  if (!args.length) return fail(ctx, "sleep: missing operand\nTry 'sleep --help' for more information.");
  let total = 0;
  for (const a of args) {
    const seconds = parseDuration(a);
    if (seconds === undefined) return fail(ctx, `sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.`);
    total += seconds;
  }
  await sleep(total * 1000, ctx.signal);
  return 0;
}

export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?|\.\d+)([smhd]?)$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]];
}

/** coreutils `timeout [-s SIG] [-k D] DURATION CMD…`: 124 when the time ran out. */
async function timeout(ctx: CommandContext): Promise<number> {
  const args = ctx.argv.slice(1);
  let signalName = 'TERM';
  let preserve = false;
  while (args[0]?.startsWith('-')) {
    const f = args.shift() as string;
    if (f === '-s' || f === '--signal') signalName = (args.shift() ?? 'TERM').replace(/^SIG/, '');
    else if (f.startsWith('--signal=')) signalName = f.slice(9).replace(/^SIG/, '');
    else if (f === '-k' || f === '--kill-after') args.shift();
    else if (f === '--preserve-status') preserve = true;
  }
  const seconds = parseDuration(args.shift() ?? '');
  if (seconds === undefined || !args.length) return fail(ctx, "timeout: missing operand\nTry 'timeout --help' for more information.", 125);
  const inner = new AbortController();
  const onParent = (): void => {
    inner.abort(ctx.signal.reason);
  };
  ctx.signal.addEventListener('abort', onParent, { once: true });
  const timer =
    seconds > 0
      ? setTimeout(() => {
          inner.abort({ kind: 'timeout' });
        }, seconds * 1000)
      : undefined;
  try {
    return await ctx.runArgv(args, ctx.io, inner.signal);
  } catch (err) {
    if (err instanceof Aborted && err.reason.kind === 'timeout' && !ctx.signal.aborted) {
      return preserve ? 128 + (signalName === 'KILL' ? 9 : 15) : signalName === 'KILL' ? 137 : 124;
    }
    throw err;
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onParent);
  }
}

/** `sh -c 'script' [name args…]`, `bash -lc …`, or a script on stdin. */
async function shell(ctx: CommandContext): Promise<number> {
  const args = ctx.argv.slice(1);
  let script: string | undefined;
  let prelude = '';
  while (args.length && args[0].startsWith('-') && args[0] !== '-') {
    const f = args.shift() as string;
    if (f === '-o' || f === '+o') {
      prelude += `set ${f} ${args.shift() ?? ''}\n`;
      continue;
    }
    if (f.includes('c')) script = args.shift();
    if (f.includes('e')) prelude += 'set -e\n';
  }
  if (script === undefined) {
    if (args.length && args[0] !== '-') {
      try {
        script = ctx.fs.readFile(args[0], ctx.cwd);
      } catch (err) {
        return fail(ctx, `${ctx.argv[0]}: ${args[0]}: ${(err as Error).message}`, 127);
      }
    } else script = await ctx.io.stdin.read();
  }
  return ctx.runScript(prelude + script, ctx.io, args.length ? args : [ctx.argv[0]]);
}

function env(ctx: CommandContext): Promise<number> | number {
  const args = ctx.argv.slice(1);
  const vars = new Map(ctx.env);
  while (args.length) {
    if (args[0] === '-i') {
      vars.clear();
      args.shift();
    } else if (args[0] === '-u') {
      args.shift();
      vars.delete(args.shift() ?? '');
    } else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(args[0])) {
      const a = args.shift() as string;
      vars.set(a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1));
    } else break;
  }
  if (!args.length) {
    out(
      ctx,
      [...vars]
        .filter(([k]) => !k.startsWith('__'))
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );
    return 0;
  }
  return ctx.runArgv(args, ctx.io, undefined, vars);
}
