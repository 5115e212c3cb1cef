import type { CommandContext } from '../shell/command';

/** PVE CLI options: `--name value`, `--name=value`, and bare `--flag` (value '1'). */
export function pveOptions(args: string[]): { opts: Map<string, string>; positional: string[] } {
  const opts = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--') || (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a))) {
      const key = a.replace(/^--?/, '');
      const eq = key.indexOf('=');
      if (eq >= 0) opts.set(key.slice(0, eq), key.slice(eq + 1));
      else if (i + 1 < args.length && !args[i + 1].startsWith('-')) opts.set(key, args[++i]);
      else opts.set(key, '1');
    } else positional.push(a);
  }
  return { opts, positional };
}

/** The way PVE's CLIHandler reports a bad parameter: stderr, exit 255. */
export function paramError(ctx: CommandContext, errors: Record<string, string>, usage: string): number {
  const lines = Object.entries(errors).map(([k, v]) => `${k}: ${v}`);
  ctx.io.stderr.write(`400 Parameter verification failed.\n${lines.join('\n')}\n${usage}\n`);
  return 255;
}

/** A Perl `die` in a PVE CLI: the message on stderr, exit 255. */
export function die(ctx: CommandContext, message: string): number {
  ctx.io.stderr.write(message.endsWith('\n') ? message : message + '\n');
  return 255;
}

export const isJsonFormat = (opts: Map<string, string>): boolean => (opts.get('output-format') ?? '').startsWith('json');
