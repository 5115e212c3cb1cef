import { CommandContext, CommandHandler, fail, out } from '../shell/command';
import { posixRegex } from './regex';

type Address = { kind: 'line'; n: number } | { kind: 'last' } | { kind: 're'; re: RegExp };

interface SedCommand {
  from?: Address;
  to?: Address;
  negate: boolean;
  op: 's' | 'd' | 'p' | 'a' | 'i' | 'c' | 'q';
  re?: RegExp;
  replacement?: string;
  global?: boolean;
  occurrence?: number;
  print?: boolean;
  text?: string;
}

/** GNU sed subset: `-n -i -e -E`, addresses (N, $, /re/, ranges, !), commands s d p a i c q. */
export const sedCommands: Record<string, CommandHandler> = { sed };

async function sed(ctx: CommandContext): Promise<number> {
  const args = ctx.argv.slice(1);
  const scripts: string[] = [];
  const files: string[] = [];
  let quiet = false;
  let inPlace = false;
  let extended = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-e' || a === '--expression') scripts.push(args[++i] ?? '');
    else if (a.startsWith('--expression=')) scripts.push(a.slice(13));
    else if (a === '-n' || a === '--quiet' || a === '--silent') quiet = true;
    else if (a === '-i' || a.startsWith('-i') || a.startsWith('--in-place')) inPlace = true;
    else if (a === '-E' || a === '-r' || a === '--regexp-extended') extended = true;
    else if (/^-[nEr]+$/.test(a)) {
      quiet ||= a.includes('n');
      extended ||= /[Er]/.test(a);
    } else if (!scripts.length && !a.startsWith('-')) scripts.push(a);
    else files.push(a);
  }
  let program: SedCommand[];
  try {
    program = scripts.flatMap((s) => parseProgram(s, extended));
  } catch (err) {
    return fail(ctx, `sed: -e expression #1, char 1: ${(err as Error).message}`);
  }
  if (!scripts.length) return fail(ctx, 'Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...');
  if (inPlace) {
    if (!files.length) return fail(ctx, 'sed: no input files', 1);
    for (const f of files) {
      let text: string;
      try {
        text = ctx.fs.readFile(f, ctx.cwd);
      } catch (err) {
        return fail(ctx, `sed: can't read ${f}: ${(err as Error).message}`, 2);
      }
      ctx.fs.writeFile(f, run(program, text, quiet), {}, ctx.cwd);
    }
    return 0;
  }
  let text = '';
  if (!files.length) text = await ctx.io.stdin.read();
  for (const f of files) {
    try {
      text += f === '-' ? await ctx.io.stdin.read() : ctx.fs.readFile(f, ctx.cwd);
    } catch (err) {
      fail(ctx, `sed: can't read ${f}: ${(err as Error).message}`);
      return 2;
    }
  }
  out(ctx, run(program, text, quiet));
  return 0;
}

function run(program: SedCommand[], text: string, quiet: boolean): string {
  const lines = text.split('\n');
  const trailingNewline = text.endsWith('\n');
  if (trailingNewline) lines.pop();
  const ranges = new Map<SedCommand, boolean>();
  let result = '';
  for (let idx = 0; idx < lines.length; idx++) {
    let line = lines[idx];
    const isLast = idx === lines.length - 1;
    let deleted = false;
    let quit = false;
    let before = '';
    let after = '';
    for (const cmd of program) {
      if (!selected(cmd, line, idx + 1, isLast, ranges)) continue;
      if (cmd.op === 's' && cmd.re) {
        let n = 0;
        const re = new RegExp(cmd.re.source, cmd.re.flags.replace('g', '') + 'g');
        line = line.replace(re, (...m: unknown[]) => {
          n++;
          if (!cmd.global && n !== (cmd.occurrence ?? 1)) return m[0] as string;
          return expandReplacement(cmd.replacement ?? '', m as string[]);
        });
        const replaced = cmd.global ? n > 0 : n >= (cmd.occurrence ?? 1);
        if (replaced && cmd.print) result += line + '\n';
      } else if (cmd.op === 'd') {
        deleted = true;
        break;
      } else if (cmd.op === 'p') result += line + '\n';
      else if (cmd.op === 'a') after += (cmd.text ?? '') + '\n';
      else if (cmd.op === 'i') before += (cmd.text ?? '') + '\n';
      else if (cmd.op === 'c') {
        before += (cmd.text ?? '') + '\n';
        deleted = true;
        break;
      } else if (cmd.op === 'q') {
        quit = true;
        break;
      }
    }
    result += before;
    if (!deleted && !quiet) result += line + (isLast && !trailingNewline ? '' : '\n');
    result += after;
    if (quit) break;
  }
  return result;
}

function selected(cmd: SedCommand, line: string, n: number, isLast: boolean, ranges: Map<SedCommand, boolean>): boolean {
  const match = (a: Address): boolean => (a.kind === 'line' ? a.n === n : a.kind === 'last' ? isLast : a.re.test(line));
  let hit: boolean;
  if (!cmd.from) hit = true;
  else if (!cmd.to) hit = match(cmd.from);
  else if (ranges.get(cmd)) {
    hit = true;
    if (match(cmd.to) || (cmd.to.kind === 'line' && n >= cmd.to.n)) ranges.set(cmd, false);
  } else if (match(cmd.from)) {
    hit = true;
    ranges.set(cmd, !(cmd.to.kind === 'line' && cmd.to.n <= n));
  } else hit = false;
  return hit !== cmd.negate;
}

function expandReplacement(rep: string, m: string[]): string {
  return rep.replace(/\\(\d)|\\n|\\t|\\(.)|&/g, (s, d: string | undefined, c: string | undefined) => {
    if (s === '&') return m[0];
    if (d !== undefined) return m[Number(d)] ?? '';
    if (s === '\\n') return '\n';
    if (s === '\\t') return '\t';
    return c ?? '';
  });
}

function parseProgram(src: string, extended: boolean): SedCommand[] {
  const cmds: SedCommand[] = [];
  let i = 0;
  const readAddress = (): Address | undefined => {
    if (src[i] === '$') {
      i++;
      return { kind: 'last' };
    }
    const num = /^\d+/.exec(src.slice(i));
    if (num) {
      i += num[0].length;
      return { kind: 'line', n: Number(num[0]) };
    }
    if (src[i] === '/' || src[i] === '\\') {
      const delim = src[i] === '\\' ? src[++i] : '/';
      const body = readDelimited(delim);
      const flags = src[i] === 'I' ? (i++, 'i') : '';
      return { kind: 're', re: posixRegex(body, extended, flags) };
    }
    return undefined;
  };
  const readDelimited = (delim: string): string => {
    i++;
    let s = '';
    while (i < src.length && src[i] !== delim) {
      if (src[i] === '\\' && src[i + 1] === delim) {
        s += delim;
        i += 2;
      } else if (src[i] === '\\') {
        s += src[i] + (src[i + 1] ?? '');
        i += 2;
      } else s += src[i++];
    }
    if (i >= src.length) throw new Error(`unterminated \`s' command`);
    return s;
  };
  while (i < src.length) {
    while (i < src.length && /[\s;]/.test(src[i])) i++;
    if (i >= src.length) break;
    const from = readAddress();
    let to: Address | undefined;
    if (from && src[i] === ',') {
      i++;
      to = readAddress();
    }
    while (src[i] === ' ') i++;
    let negate = false;
    if (src[i] === '!') {
      negate = true;
      i++;
    }
    const op = src[i];
    if (op === 's') {
      const delim = src[i + 1];
      i++;
      const pattern = readDelimited(delim);
      const replacement = readDelimited(delim);
      i++;
      let flags = '';
      while (i < src.length && /[gpiI0-9]/.test(src[i])) flags += src[i++];
      const occ = /\d+/.exec(flags);
      cmds.push({
        from,
        to,
        negate,
        op: 's',
        re: posixRegex(pattern, extended, /[iI]/.test(flags) ? 'i' : ''),
        replacement,
        global: flags.includes('g'),
        print: flags.includes('p'),
        occurrence: occ ? Number(occ[0]) : undefined,
      });
    } else if (op === 'd' || op === 'p' || op === 'q') {
      i++;
      cmds.push({ from, to, negate, op });
    } else if (op === 'a' || op === 'i' || op === 'c') {
      i++;
      let text = src
        .slice(i)
        .replace(/^\\?\n?/, '')
        .replace(/^\s*/, '');
      const nl = text.indexOf('\n');
      if (nl >= 0) text = text.slice(0, nl);
      i += src.slice(i).indexOf(text) + text.length;
      cmds.push({ from, to, negate, op, text });
    } else throw new Error(`unknown command: \`${op}'`);
  }
  return cmds;
}
