import { CommandContext, CommandHandler, fail, out } from '../shell/command';
import { compareDebianVersions } from '../util/debian-version';
import { last, parseArgs } from './options';
import { escapeRegex, posixRegex } from './regex';
import { codePoints } from '../util/text';

/** Reads the named files (or stdin); reports missing ones like coreutils. */
async function inputs(ctx: CommandContext, name: string, files: string[]): Promise<{ texts: [string, string][]; status: number }> {
  const texts: [string, string][] = [];
  let status = 0;
  if (!files.length) return { texts: [['(standard input)', await ctx.io.stdin.read()]], status };
  for (const f of files) {
    if (f === '-') {
      texts.push(['(standard input)', await ctx.io.stdin.read()]);
      continue;
    }
    try {
      texts.push([f, ctx.fs.readFile(f, ctx.cwd)]);
    } catch (err) {
      status = 2;
      fail(ctx, `${name}: ${f}: ${(err as Error).message}`);
    }
  }
  return { texts, status };
}

const splitLines = (text: string): string[] => {
  if (!text) return [];
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
};

const numberArg = (p: ReturnType<typeof parseArgs>, args: string[], fallback: number): string => {
  const legacy = args.find((a) => /^-\d+$/.test(a));
  return last(p, 'n') ?? last(p, 'lines') ?? (legacy ? legacy.slice(1) : String(fallback));
};

export const textCommands: Record<string, CommandHandler> = {
  grep: async (ctx) => {
    const p = parseArgs(ctx.argv.slice(1), 'efmABC', ['regexp', 'file', 'max-count']);
    const patterns = p.values.get('e') ?? p.values.get('regexp') ?? (p.operands.length ? [p.operands.shift() as string] : undefined);
    if (!patterns) return fail(ctx, "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.", 2);
    const flag = (...k: string[]): boolean => k.some((x) => p.flags.has(x));
    const extended = flag('E', 'extended-regexp');
    const icase = flag('i', 'ignore-case') ? 'i' : '';
    const res = patterns
      .flatMap((pat) => pat.split('\n'))
      .map((pat) => {
        let src = flag('F', 'fixed-strings') ? escapeRegex(pat) : posixRegex(pat, extended).source;
        if (flag('w', 'word-regexp')) src = `(?<![A-Za-z0-9_])(?:${src})(?![A-Za-z0-9_])`;
        if (flag('x', 'line-regexp')) src = `^(?:${src})$`;
        return new RegExp(src, icase);
      });
    const { texts, status: readStatus } = await inputs(ctx, 'grep', p.operands);
    const invert = flag('v', 'invert-match');
    const multi = p.operands.length > 1 ? !flag('h') : flag('H');
    let matched = 0;
    let text = '';
    for (const [file, content] of texts) {
      let count = 0;
      splitLines(content).forEach((line, idx) => {
        const hit = res.some((re) => re.test(line)) !== invert;
        if (!hit) return;
        count++;
        if (flag('c', 'count', 'q', 'quiet', 'l')) return;
        if (flag('o') && !invert) {
          for (const re of res)
            for (const m of line.matchAll(new RegExp(re.source, re.flags + 'g'))) text += `${multi ? file + ':' : ''}${m[0]}\n`;
        } else text += `${multi ? file + ':' : ''}${flag('n') ? `${idx + 1}:` : ''}${line}\n`;
      });
      if (flag('c', 'count')) text += `${multi ? file + ':' : ''}${count}\n`;
      if (flag('l') && count) text += `${file}\n`;
      matched += count;
    }
    if (!flag('q', 'quiet', 'silent')) out(ctx, text);
    if (readStatus && !flag('q')) return 2;
    return matched ? 0 : readStatus || 1;
  },
  head: async (ctx) => {
    const args = ctx.argv.slice(1);
    const p = parseArgs(
      args.filter((a) => !/^-\d+$/.test(a)),
      'nc',
      ['lines'],
    );
    const n = numberArg(p, args, 10);
    const { texts, status } = await inputs(ctx, 'head', p.operands);
    const bytes = last(p, 'c');
    if (bytes !== undefined) {
      for (const [, t] of texts) out(ctx, Buffer.from(t).subarray(0, Number(bytes)).toString());
      return status ? 1 : 0;
    }
    for (const [, t] of texts) {
      const l = splitLines(t);
      const count = Number(n);
      out(ctx, (n.startsWith('-') ? l.slice(0, l.length + count) : l.slice(0, count)).map((x) => x + '\n').join(''));
    }
    return status ? 1 : 0;
  },
  tail: async (ctx) => {
    const args = ctx.argv.slice(1);
    const p = parseArgs(
      args.filter((a) => !/^-\d+$/.test(a)),
      'nc',
      ['lines'],
    );
    const n = numberArg(p, args, 10);
    const { texts, status } = await inputs(ctx, 'tail', p.operands);
    for (const [, t] of texts) {
      const l = splitLines(t);
      out(
        ctx,
        (n.startsWith('+') ? l.slice(Number(n.slice(1)) - 1) : l.slice(Math.max(0, l.length - Number(n)))).map((x) => x + '\n').join(''),
      );
    }
    return status ? 1 : 0;
  },
  sort: async (ctx) => {
    const p = parseArgs(ctx.argv.slice(1), 'tko');
    const { texts, status } = await inputs(ctx, 'sort', p.operands);
    let l = texts.flatMap(([, t]) => splitLines(t));
    if (p.flags.has('V') || p.flags.has('version-sort')) l.sort(compareDebianVersions);
    else if (p.flags.has('n') || p.flags.has('numeric-sort'))
      l.sort((a, b) => parseFloat(a) - parseFloat(b) || (a < b ? -1 : a > b ? 1 : 0));
    else l.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (p.flags.has('r') || p.flags.has('reverse')) l.reverse();
    if (p.flags.has('u') || p.flags.has('unique')) l = l.filter((x, i) => i === 0 || x !== l[i - 1]);
    out(ctx, l.map((x) => x + '\n').join(''));
    return status ? 2 : 0;
  },
  uniq: async (ctx) => {
    const p = parseArgs(ctx.argv.slice(1));
    const { texts } = await inputs(ctx, 'uniq', p.operands.slice(0, 1));
    const l = splitLines(texts[0]?.[1] ?? '');
    const groups: [string, number][] = [];
    for (const x of l) {
      if (groups.length && groups[groups.length - 1][0] === x) groups[groups.length - 1][1]++;
      else groups.push([x, 1]);
    }
    out(ctx, groups.map(([x, c]) => (p.flags.has('c') ? `${String(c).padStart(7)} ${x}\n` : `${x}\n`)).join(''));
    return 0;
  },
  wc: async (ctx) => {
    const p = parseArgs(ctx.argv.slice(1));
    const { texts, status } = await inputs(ctx, 'wc', p.operands);
    for (const [file, t] of texts) {
      const counts: number[] = [];
      const all = !p.flags.has('l') && !p.flags.has('w') && !p.flags.has('c') && !p.flags.has('m');
      if (all || p.flags.has('l')) counts.push((t.match(/\n/g) ?? []).length);
      if (all || p.flags.has('w')) counts.push(t.split(/\s+/).filter(Boolean).length);
      if (all || p.flags.has('c') || p.flags.has('m')) counts.push(Buffer.byteLength(t));
      const cols = counts.length === 1 && !p.operands.length ? [String(counts[0])] : counts.map((c) => String(c).padStart(all ? 7 : 1));
      out(ctx, cols.join(' ') + (p.operands.length ? ` ${file}` : '') + '\n');
    }
    return status ? 1 : 0;
  },
  cut: async (ctx) => {
    const p = parseArgs(ctx.argv.slice(1), 'dfc', ['delimiter', 'fields', 'characters']);
    const delim = last(p, 'd') ?? last(p, 'delimiter') ?? '\t';
    const fields = last(p, 'f') ?? last(p, 'fields');
    const chars = last(p, 'c') ?? last(p, 'characters');
    const spec = fields ?? chars;
    if (!spec) return fail(ctx, 'cut: you must specify a list of bytes, characters, or fields');
    const pick = (n: number): boolean =>
      spec.split(',').some((r) => {
        const [a, b] = r.split('-');
        if (!r.includes('-')) return Number(a) === n;
        return n >= (a ? Number(a) : 1) && n <= (b ? Number(b) : Infinity);
      });
    const { texts } = await inputs(ctx, 'cut', p.operands);
    for (const [, t] of texts) {
      for (const line of splitLines(t)) {
        if (chars)
          out(
            ctx,
            codePoints(line)
              .filter((_, i) => pick(i + 1))
              .join('') + '\n',
          );
        else if (!line.includes(delim)) out(ctx, line + '\n');
        else
          out(
            ctx,
            line
              .split(delim)
              .filter((_, i) => pick(i + 1))
              .join(delim) + '\n',
          );
      }
    }
    return 0;
  },
  tr: async (ctx) => {
    const p = parseArgs(ctx.argv.slice(1));
    const expand = (s: string): string =>
      s
        .replace(/\\n/g, '\n')
        .replace(/\\t/g, '\t')
        .replace(/\[:space:\]/g, ' \t\n\r')
        .replace(/\[:upper:\]/g, 'A-Z')
        .replace(/\[:lower:\]/g, 'a-z')
        .replace(/(.)-(.)/g, (_, a: string, b: string) =>
          Array.from({ length: b.charCodeAt(0) - a.charCodeAt(0) + 1 }, (_x, i) => String.fromCharCode(a.charCodeAt(0) + i)).join(''),
        );
    const [set1, set2] = [expand(p.operands[0] ?? ''), expand(p.operands[1] ?? '')];
    let text = await ctx.io.stdin.read();
    if (p.flags.has('d'))
      text = codePoints(text)
        .filter((c) => !set1.includes(c))
        .join('');
    else
      text = codePoints(text)
        .map((c) => (set1.includes(c) ? (set2[Math.min(set1.indexOf(c), set2.length - 1)] ?? c) : c))
        .join('');
    if (p.flags.has('s')) text = text.replace(new RegExp(`([${escapeRegex(set2 || set1)}])\\1+`, 'g'), '$1');
    out(ctx, text);
    return 0;
  },
  base64: async (ctx) => {
    const p = parseArgs(ctx.argv.slice(1), 'w', ['wrap']);
    const { texts, status } = await inputs(ctx, 'base64', p.operands);
    if (status) return 1;
    const data = texts.map(([, t]) => t).join('');
    if (p.flags.has('d') || p.flags.has('decode')) {
      const clean = data.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return fail(ctx, 'base64: invalid input');
      out(ctx, Buffer.from(clean, 'base64').toString('utf8'));
      return 0;
    }
    const wrap = Number(last(p, 'w') ?? last(p, 'wrap') ?? 76);
    const enc = Buffer.from(data, 'utf8').toString('base64');
    out(ctx, (wrap > 0 ? (enc.match(new RegExp(`.{1,${wrap}}`, 'g'))?.join('\n') ?? '') : enc) + '\n');
    return 0;
  },
};
