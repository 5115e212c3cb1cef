import { Word, WordPart } from './ast';
import { readDollar } from './lexer';
import { globToRegExp, hasGlob, normalizePath } from '../vfs/paths';
import type { FileSystem } from '../vfs/node-fs';

/** What expansion needs from the running shell. */
export interface ExpandScope {
  param(name: string): string | undefined;
  setVar(name: string, value: string): void;
  positional(): string[];
  commandSubstitution(src: string): Promise<string>;
  readonly fs: FileSystem;
  readonly cwd: string;
}

interface Field {
  text: string;
  /** The same text with quoted characters backslash-escaped, for glob matching. */
  pattern: string;
  quoted: boolean;
  glob: boolean;
}

const escapeGlob = (s: string): string => s.replace(/[*?[\]\\]/g, '\\$&');

/** Full word expansion: parameters, command substitution, field splitting, globbing. */
export async function expandFields(word: Word, scope: ExpandScope): Promise<string[]> {
  const fields: Field[] = [];
  let cur: Field | undefined;
  const ensure = (): Field => (cur ??= { text: '', pattern: '', quoted: false, glob: false });
  const breakField = (): void => {
    if (cur) fields.push(cur);
    cur = undefined;
  };

  for (let i = 0; i < word.parts.length; i++) {
    const part = word.parts[i];
    if (part.t === 'lit') {
      let v = part.v;
      if (!part.q && i === 0 && (v === '~' || v.startsWith('~/'))) v = (scope.param('HOME') ?? '/root') + v.slice(1);
      const f = ensure();
      f.text += v;
      f.pattern += part.q ? escapeGlob(v) : v;
      if (part.q) f.quoted = true;
      else if (hasGlob(v)) f.glob = true;
      continue;
    }
    if (part.t === 'param' && part.name === '@' && part.q) {
      const args = scope.positional();
      args.forEach((arg, idx) => {
        if (idx > 0) breakField();
        const f = ensure();
        f.text += arg;
        f.pattern += escapeGlob(arg);
        f.quoted = true;
      });
      continue;
    }
    const value = await expandPart(part, scope);
    if (part.q) {
      const f = ensure();
      f.text += value;
      f.pattern += escapeGlob(value);
      f.quoted = true;
      continue;
    }
    const pieces = value.split(/[ \t\n]+/);
    pieces.forEach((piece, idx) => {
      if (idx > 0) breakField();
      if (piece === '') return;
      const f = ensure();
      f.text += piece;
      f.pattern += piece;
      if (hasGlob(piece)) f.glob = true;
    });
  }
  breakField();

  const result: string[] = [];
  for (const f of fields) {
    if (!f.quoted && f.text === '') continue;
    if (f.glob) {
      const matches = glob(f.pattern, scope);
      if (matches.length) {
        result.push(...matches);
        continue;
      }
    }
    result.push(f.text);
  }
  return result;
}

/** Expansion without splitting or globbing: assignments, redirection targets, heredocs. */
export async function expandString(word: Word, scope: ExpandScope): Promise<string> {
  let s = '';
  for (const part of word.parts) s += part.t === 'lit' ? part.v : await expandPart(part, scope);
  return s;
}

async function expandPart(part: Exclude<WordPart, { t: 'lit' }>, scope: ExpandScope): Promise<string> {
  if (part.t === 'cmdsub') return scope.commandSubstitution(part.src);
  const value = part.name === '@' || part.name === '*' ? scope.positional().join(' ') : scope.param(part.name);
  if (!part.op) return value ?? '';
  const colon = part.op.startsWith(':');
  const missing = colon ? !value : value === undefined;
  const arg = part.arg ? await expandString(part.arg, scope) : '';
  switch (part.op.replace(':', '')) {
    case '-':
      return missing ? arg : (value as string);
    case '=':
      if (missing) scope.setVar(part.name, arg);
      return missing ? arg : (value as string);
    case '+':
      return missing ? '' : arg;
    default:
      return value ?? '';
  }
}

/** Turns an unquoted heredoc body into a word: `$` expansions and `\$ \` \\` escapes only. */
export function heredocWord(body: string): Word {
  const parts: WordPart[] = [];
  const lit = (v: string, q: boolean): void => {
    const last = parts.at(-1);
    if (last && last.t === 'lit') last.v += v;
    else parts.push({ t: 'lit', v, q });
  };
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c === '\\' && '$`\\\n'.includes(body[i + 1] ?? '')) {
      if (body[i + 1] !== '\n') lit(body[i + 1], true);
      i += 2;
    } else if (c === '$' || c === '`') i = readDollar(body, i, parts, lit, true);
    else {
      lit(c, true);
      i++;
    }
  }
  return { parts };
}

function glob(pattern: string, scope: ExpandScope): string[] {
  const absolute = pattern.startsWith('/');
  const comps = pattern.split('/').filter(Boolean);
  let bases = [absolute ? '/' : ''];
  for (const comp of comps) {
    const next: string[] = [];
    for (const base of bases) {
      const dir = normalizePath(base || '.', scope.cwd);
      if (!hasGlob(comp.replace(/\\./g, ''))) {
        next.push(join(base, comp.replace(/\\(.)/g, '$1')));
        continue;
      }
      if (!scope.fs.isDir(dir)) continue;
      const re = globToRegExp(comp);
      for (const name of scope.fs.list(dir)) {
        if (name.startsWith('.') && !comp.startsWith('.')) continue;
        if (re.test(name)) next.push(join(base, name));
      }
    }
    bases = next;
  }
  return bases.filter((p) => scope.fs.exists(p, scope.cwd)).sort();
}

const join = (base: string, name: string): string => (base === '' ? name : base.endsWith('/') ? base + name : `${base}/${name}`);
