import { AndOr, Command, List, Pipeline, Redirect, ShellSyntaxError, SimpleCommand, Word } from './ast';
import { Token, tokenize } from './lexer';

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'in', 'do', 'done', 'while', 'until', '{', '}', '!']);

/** Parses a script into a List; throws ShellSyntaxError with bash's wording. */
export function parseScript(src: string): List {
  return new Parser(tokenize(src)).script();
}

class Parser {
  private pos = 0;

  constructor(private readonly tokens: Token[]) {}

  script(): List {
    const list = this.list(new Set());
    const t = this.peek();
    if (t.k !== 'eof') throw this.unexpected(t);
    return list;
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    return this.tokens[this.pos++];
  }

  private reserved(t: Token): string | undefined {
    if (t.k !== 'word' || t.word.parts.length !== 1) return undefined;
    const p = t.word.parts[0];
    return p.t === 'lit' && !p.q && RESERVED.has(p.v) ? p.v : undefined;
  }

  private skipNewlines(): void {
    while (this.peek().k === 'nl') this.pos++;
  }

  private expectWord(word: string): void {
    this.skipNewlines();
    const t = this.next();
    if (this.reserved(t) !== word) throw this.unexpected(t);
  }

  private unexpected(t: Token): ShellSyntaxError {
    const text = t.k === 'eof' ? 'end of file' : t.k === 'nl' ? 'newline' : t.k === 'op' ? t.v : t.k === 'redir' ? t.op : t.raw;
    return new ShellSyntaxError(t.k === 'eof' ? 'syntax error: unexpected end of file' : `syntax error near unexpected token \`${text}'`);
  }

  /** and-or lists separated by ; & or newlines, up to a stop word or `)`. */
  private list(stops: Set<string>): List {
    const items: List['items'] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.k === 'eof' || (t.k === 'op' && t.v === ')')) break;
      const word = this.reserved(t);
      if (word && stops.has(word)) break;
      const andOr = this.andOr();
      const sep = this.peek();
      const background = sep.k === 'op' && sep.v === '&';
      items.push({ andOr, background });
      if (sep.k === 'op' && (sep.v === ';' || sep.v === '&')) this.pos++;
      else if (sep.k !== 'nl') break;
    }
    return { items };
  }

  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: AndOr['rest'] = [];
    for (;;) {
      const t = this.peek();
      if (t.k !== 'op' || (t.v !== '&&' && t.v !== '||')) break;
      this.pos++;
      this.skipNewlines();
      rest.push({ op: t.v, pipeline: this.pipeline() });
    }
    return { first, rest };
  }

  private pipeline(): Pipeline {
    let negate = false;
    if (this.reserved(this.peek()) === '!') {
      negate = true;
      this.pos++;
    }
    const commands = [this.command()];
    const pipeStderr: boolean[] = [];
    for (;;) {
      const t = this.peek();
      if (t.k !== 'op' || (t.v !== '|' && t.v !== '|&')) break;
      this.pos++;
      this.skipNewlines();
      pipeStderr.push(t.v === '|&');
      commands.push(this.command());
    }
    return { negate, commands, pipeStderr };
  }

  private command(): Command {
    const t = this.peek();
    const word = this.reserved(t);
    if (t.k === 'op' && t.v === '(') {
      this.pos++;
      const body = this.list(new Set());
      const close = this.next();
      if (close.k !== 'op' || close.v !== ')') throw this.unexpected(close);
      return { kind: 'subshell', body, redirects: this.redirects() };
    }
    if (word === '{') {
      this.pos++;
      const body = this.list(new Set(['}']));
      this.expectWord('}');
      return { kind: 'group', body, redirects: this.redirects() };
    }
    if (word === 'if') return this.ifCommand();
    if (word === 'for') return this.forCommand();
    if (word === 'while' || word === 'until') {
      this.pos++;
      const cond = this.list(new Set(['do']));
      this.expectWord('do');
      const body = this.list(new Set(['done']));
      this.expectWord('done');
      return { kind: 'while', until: word === 'until', cond, body, redirects: this.redirects() };
    }
    if (word && word !== '!') throw this.unexpected(t);
    return this.simple();
  }

  private ifCommand(): Command {
    this.pos++;
    const clauses: { cond: List; body: List }[] = [];
    let elseBody: List | undefined;
    for (;;) {
      const cond = this.list(new Set(['then']));
      this.expectWord('then');
      const body = this.list(new Set(['elif', 'else', 'fi']));
      clauses.push({ cond, body });
      this.skipNewlines();
      const kw = this.reserved(this.next());
      if (kw === 'elif') continue;
      if (kw === 'else') {
        elseBody = this.list(new Set(['fi']));
        this.expectWord('fi');
      } else if (kw !== 'fi') throw this.unexpected(this.tokens[this.pos - 1]);
      break;
    }
    return { kind: 'if', clauses, elseBody, redirects: this.redirects() };
  }

  private forCommand(): Command {
    this.pos++;
    const nameTok = this.next();
    if (nameTok.k !== 'word') throw this.unexpected(nameTok);
    let items: Word[] | undefined;
    this.skipNewlines();
    if (this.reserved(this.peek()) === 'in') {
      this.pos++;
      items = [];
      while (this.peek().k === 'word') items.push((this.next() as Extract<Token, { k: 'word' }>).word);
    }
    const sep = this.peek();
    if (sep.k === 'op' && sep.v === ';') this.pos++;
    this.expectWord('do');
    const body = this.list(new Set(['done']));
    this.expectWord('done');
    return { kind: 'for', name: nameTok.raw, items, body, redirects: this.redirects() };
  }

  private redirects(): Redirect[] {
    const out: Redirect[] = [];
    while (this.peek().k === 'redir') out.push(this.redirect());
    return out;
  }

  private redirect(): Redirect {
    const r = this.next() as Extract<Token, { k: 'redir' }>;
    const target = this.next();
    if (target.k !== 'word') throw this.unexpected(target);
    const defaultFd = r.op.startsWith('<') ? 0 : 1;
    return { fd: r.fd ?? defaultFd, op: r.op, target: target.word, heredoc: r.heredoc };
  }

  private simple(): SimpleCommand {
    const cmd: SimpleCommand = { kind: 'simple', assigns: [], words: [], redirects: [] };
    for (;;) {
      const t = this.peek();
      if (t.k === 'redir') cmd.redirects.push(this.redirect());
      else if (t.k === 'word') {
        this.pos++;
        const assign = cmd.words.length === 0 ? asAssignment(t.word) : undefined;
        if (assign) cmd.assigns.push(assign);
        else cmd.words.push(t.word);
      } else break;
    }
    if (!cmd.words.length && !cmd.assigns.length && !cmd.redirects.length) throw this.unexpected(this.peek());
    return cmd;
  }
}

function asAssignment(word: Word): { name: string; value: Word } | undefined {
  const first = word.parts.at(0);
  if (!first || first.t !== 'lit' || first.q) return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.v);
  if (!m) return undefined;
  const rest = first.v.slice(m[0].length);
  const parts = rest ? [{ ...first, v: rest }, ...word.parts.slice(1)] : word.parts.slice(1);
  return { name: m[1], value: { parts } };
}
