import { CommandContext, CommandHandler, fail, out } from '../shell/command';
import { posixRegex } from './regex';

/**
 * The one-liners scripts actually use: `awk [-F SEP] '[/re/|NR==N|$N=="x"] {print $1, $3}'`
 * and `'{print}'`. Anything else fails loudly instead of guessing.
 */
export const awkCommands: Record<string, CommandHandler> = { awk };

async function awk(ctx: CommandContext): Promise<number> {
  const args = ctx.argv.slice(1);
  let sep: string | undefined;
  while (args[0]?.startsWith('-F')) {
    const a = args.shift() as string;
    sep = a.length > 2 ? a.slice(2) : args.shift();
  }
  const program = args.shift();
  const m = program
    ? /^\s*(?:(\/(?:[^/\\]|\\.)*\/|NR\s*==\s*\d+|\$\d+\s*[=!]=\s*"[^"]*")\s*)?\{\s*print\s*([^}]*)\}\s*$/.exec(program)
    : null;
  if (!m) return fail(ctx, `awk: simulator supports only '[pattern] {print fields}' programs`, 2);
  const [, pattern, fieldList] = m;
  let text = '';
  if (!args.length) text = await ctx.io.stdin.read();
  for (const f of args) {
    try {
      text += ctx.fs.readFile(f, ctx.cwd);
    } catch {
      return fail(ctx, `awk: cannot open "${f}" (No such file or directory)`, 2);
    }
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const splitter = sep === undefined || sep === ' ' ? /[ \t]+/ : sep.length === 1 ? sep : new RegExp(sep);
  let result = '';
  lines.forEach((line, idx) => {
    const fields = sep === undefined || sep === ' ' ? line.trim().split(splitter) : line.split(splitter);
    const field = (n: number): string => (n === 0 ? line : (fields[n - 1] ?? ''));
    if (pattern) {
      if (pattern.startsWith('/') && !posixRegex(pattern.slice(1, -1), true).test(line)) return;
      const nr = /^NR\s*==\s*(\d+)$/.exec(pattern);
      if (nr && Number(nr[1]) !== idx + 1) return;
      const eq = /^\$(\d+)\s*([=!])=\s*"([^"]*)"$/.exec(pattern);
      if (eq && (field(Number(eq[1])) === eq[3]) !== (eq[2] === '=')) return;
    }
    const items = fieldList.trim() ? fieldList.split(',').map((x) => x.trim()) : ['$0'];
    result +=
      items
        .map((it) =>
          it.startsWith('$')
            ? field(Number(it.slice(1)))
            : it === 'NR'
              ? String(idx + 1)
              : it === 'NF'
                ? String(fields.length)
                : it.replace(/^"|"$/g, ''),
        )
        .join(' ') + '\n';
  });
  out(ctx, result);
  return 0;
}
