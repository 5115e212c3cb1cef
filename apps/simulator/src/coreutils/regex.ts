/**
 * POSIX regular expressions to JavaScript. Basic (BRE, grep/sed default):
 * `\( \) \{ \} \| \+ \?` are operators and their bare forms are literals.
 * Extended (ERE, -E): the usual operators. Bracket classes like
 * `[[:space:]]` become their JavaScript equivalents.
 */
const CLASSES: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: 'A-Za-z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
};

export function posixRegex(src: string, extended: boolean, flags = ''): RegExp {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '[') {
      const end = findBracketEnd(src, i);
      if (end < 0) {
        out += '\\[';
        continue;
      }
      let body = src.slice(i + 1, end).replace(/\[:([a-z]+):\]/g, (_, n: string) => CLASSES[n] ?? '');
      body = body.replace(/\\/g, '\\\\');
      if (body.startsWith('^')) body = '^' + body.slice(1).replace(/^\]/, '\\]');
      else body = body.replace(/^\]/, '\\]');
      out += `[${body}]`;
      i = end;
      continue;
    }
    if (c === '\\' && i + 1 < src.length) {
      const n = src[++i];
      if (!extended && '(){}|+?'.includes(n)) out += n;
      else if (/[0-9]/.test(n)) out += '\\' + n;
      else if ('wWsSbB'.includes(n)) out += '\\' + n;
      else if (n === '<' || n === '>') out += '\\b';
      else if (n === 'n') out += '\\n';
      else if (n === 't') out += '\\t';
      else out += n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      continue;
    }
    if (!extended && '(){}|+?'.includes(c)) {
      out += '\\' + c;
      continue;
    }
    // A leading `*` in a BRE is literal.
    if (c === '*' && (out === '' || out === '^')) {
      out += '\\*';
      continue;
    }
    out += c === '/' ? '\\/' : c;
  }
  return new RegExp(out, flags);
}

function findBracketEnd(src: string, start: number): number {
  let i = start + 1;
  if (src[i] === '^') i++;
  if (src[i] === ']') i++;
  for (; i < src.length; i++) {
    if (src[i] === '[' && src[i + 1] === ':') {
      const close = src.indexOf(':]', i + 2);
      if (close > 0) i = close + 1;
      continue;
    }
    if (src[i] === ']') return i;
  }
  return -1;
}

export const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
