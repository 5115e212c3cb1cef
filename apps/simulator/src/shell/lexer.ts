import { RedirectOp, ShellSyntaxError, Word, WordPart } from './ast';

export type Token =
  | { k: 'word'; word: Word; raw: string }
  | { k: 'op'; v: string }
  | { k: 'redir'; fd: number | undefined; op: RedirectOp; heredoc?: { body: string; expand: boolean } }
  | { k: 'nl' }
  | { k: 'eof' };

const META = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')']);
const OPS = ['&&', '||', '|&', ';', '&', '|', '(', ')'];
const REDIRS: RedirectOp[] = ['&>>', '<<-', '<<<', '&>', '>>', '>&', '<<', '<&', '>', '<'];

interface PendingHeredoc {
  token: Extract<Token, { k: 'redir' }>;
  delimiter?: string;
  expand: boolean;
}

/** Splits shell source into words, operators and redirections; reads heredoc bodies. */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  const pending: PendingHeredoc[] = [];
  let awaitingDelimiter: PendingHeredoc | undefined;
  let i = 0;

  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '\n') {
      tokens.push({ k: 'nl' });
      i++;
      for (const doc of pending.splice(0)) i = readHeredoc(src, i, doc);
      continue;
    }
    const redir = matchRedirect(src, i);
    if (redir) {
      const token: Extract<Token, { k: 'redir' }> = { k: 'redir', fd: redir.fd, op: redir.op };
      tokens.push(token);
      i = redir.end;
      if (redir.op === '<<' || redir.op === '<<-') awaitingDelimiter = { token, expand: true };
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) {
      tokens.push({ k: 'op', v: op });
      i += op.length;
      continue;
    }
    const { word, raw, end } = readWord(src, i);
    tokens.push({ k: 'word', word, raw });
    i = end;
    if (awaitingDelimiter) {
      awaitingDelimiter.delimiter = word.parts.map((p) => (p.t === 'lit' ? p.v : '')).join('');
      awaitingDelimiter.expand = word.parts.every((p) => !p.q);
      pending.push(awaitingDelimiter);
      awaitingDelimiter = undefined;
    }
  }
  // A heredoc on the last line without a trailing newline still gets its body read.
  if (pending.length) throw new ShellSyntaxError(`warning: here-document delimited by end-of-file (wanted \`${pending[0].delimiter}')`);
  tokens.push({ k: 'eof' });
  return tokens;
}

function matchRedirect(src: string, i: number): { fd: number | undefined; op: RedirectOp; end: number } | undefined {
  let j = i;
  while (j < src.length && src[j] >= '0' && src[j] <= '9') j++;
  const fd = j > i ? Number(src.slice(i, j)) : undefined;
  const op = REDIRS.find((r) => src.startsWith(r, j));
  if (!op) return undefined;
  if (fd !== undefined && op.startsWith('&')) return undefined;
  return { fd, op, end: j + op.length };
}

function readHeredoc(src: string, start: number, doc: PendingHeredoc): number {
  const strip = doc.token.op === '<<-';
  let i = start;
  let body = '';
  for (;;) {
    if (i >= src.length) break;
    const nl = src.indexOf('\n', i);
    const line = nl < 0 ? src.slice(i) : src.slice(i, nl);
    i = nl < 0 ? src.length : nl + 1;
    const cmp = strip ? line.replace(/^\t+/, '') : line;
    if (cmp === doc.delimiter) {
      doc.token.heredoc = { body, expand: doc.expand };
      return i;
    }
    body += cmp + '\n';
  }
  // bash accepts end of input as the delimiter (with a warning we do not print).
  doc.token.heredoc = { body, expand: doc.expand };
  return i;
}

function readWord(src: string, start: number): { word: Word; raw: string; end: number } {
  const parts: WordPart[] = [];
  const lit = (v: string, q: boolean): void => {
    const last = parts.at(-1);
    if (last && last.t === 'lit' && last.q === q) last.v += v;
    else parts.push({ t: 'lit', v, q });
  };
  let i = start;
  while (i < src.length && !META.has(src[i])) {
    const c = src[i];
    if (c === '\\') {
      if (src[i + 1] === '\n') i += 2;
      else {
        if (i + 1 < src.length) lit(src[i + 1], true);
        i += 2;
      }
    } else if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError("unexpected EOF while looking for matching `''");
      lit(src.slice(i + 1, end), true);
      // An empty '' still makes a (quoted, empty) word.
      if (end === i + 1) parts.push({ t: 'lit', v: '', q: true });
      i = end + 1;
    } else if (c === '"') {
      i = readDoubleQuoted(src, i + 1, parts, lit);
    } else if (c === '$' || c === '`') {
      i = readDollar(src, i, parts, lit, false);
    } else {
      lit(c, false);
      i++;
    }
  }
  return { word: { parts }, raw: src.slice(start, i), end: i };
}

function readDoubleQuoted(src: string, start: number, parts: WordPart[], lit: (v: string, q: boolean) => void): number {
  let i = start;
  const before = parts.length;
  while (i < src.length && src[i] !== '"') {
    const c = src[i];
    if (c === '\\' && '$`"\\\n'.includes(src[i + 1] ?? '')) {
      if (src[i + 1] !== '\n') lit(src[i + 1], true);
      i += 2;
    } else if (c === '$' || c === '`') {
      i = readDollar(src, i, parts, lit, true);
    } else {
      lit(c, true);
      i++;
    }
  }
  if (i >= src.length) throw new ShellSyntaxError('unexpected EOF while looking for matching `"\'');
  if (parts.length === before) parts.push({ t: 'lit', v: '', q: true });
  return i + 1;
}

/** Parses `$NAME`, `${...}`, `$(...)` and backticks at `i`; returns the index after them. */
export function readDollar(src: string, i: number, parts: WordPart[], lit: (v: string, q: boolean) => void, q: boolean): number {
  if (src[i] === '`') {
    let j = i + 1;
    let inner = '';
    while (j < src.length && src[j] !== '`') {
      if (src[j] === '\\' && '$`\\'.includes(src[j + 1] ?? '')) {
        inner += src[j + 1];
        j += 2;
      } else inner += src[j++];
    }
    if (j >= src.length) throw new ShellSyntaxError("unexpected EOF while looking for matching ``'");
    parts.push({ t: 'cmdsub', src: inner, q });
    return j + 1;
  }
  const next = src[i + 1];
  if (next === '(') {
    const end = matchParen(src, i + 2);
    parts.push({ t: 'cmdsub', src: src.slice(i + 2, end), q });
    return end + 1;
  }
  if (next === '{') {
    const end = src.indexOf('}', i + 2);
    if (end < 0) throw new ShellSyntaxError('bad substitution');
    const body = src.slice(i + 2, end);
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#@*!])(?:(:?[-=+?])(.*))?$/s.exec(body);
    if (!m) throw new ShellSyntaxError(`\${${body}}: bad substitution`);
    parts.push({ t: 'param', name: m[1], q, op: m[2], arg: m[2] ? { parts: [{ t: 'lit', v: m[3], q: true }] } : undefined });
    return end + 1;
  }
  const m = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9?$#@*!])/.exec(src.slice(i + 1));
  if (!m) {
    lit('$', q);
    return i + 1;
  }
  parts.push({ t: 'param', name: m[0], q });
  return i + 1 + m[0].length;
}

/** Index of the `)` closing a `$(` whose body starts at `start`, skipping quotes and nesting. */
function matchParen(src: string, start: number): number {
  let depth = 1;
  let i = start;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === "'") {
      const e = src.indexOf("'", i + 1);
      i = e < 0 ? src.length : e + 1;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < src.length && src[i] !== '"') i += src[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')' && --depth === 0) return i;
    i++;
  }
  throw new ShellSyntaxError("unexpected EOF while looking for matching `)'");
}
