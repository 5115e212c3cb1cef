/** The syntax tree of the POSIX-shell subset the simulator understands. */

export type WordPart =
  | { t: 'lit'; v: string; q: boolean }
  | { t: 'param'; name: string; q: boolean; op?: string; arg?: Word }
  | { t: 'cmdsub'; src: string; q: boolean };

export interface Word {
  parts: WordPart[];
}

export type RedirectOp = '>' | '>>' | '<' | '>&' | '<&' | '&>' | '&>>' | '<<' | '<<-' | '<<<';

export interface Redirect {
  fd: number;
  op: RedirectOp;
  target: Word;
  /** Heredoc body as typed; `expand` is false when the delimiter was quoted. */
  heredoc?: { body: string; expand: boolean };
}

export interface SimpleCommand {
  kind: 'simple';
  assigns: { name: string; value: Word }[];
  words: Word[];
  redirects: Redirect[];
}

export interface CompoundBase {
  redirects: Redirect[];
}

export type Command =
  | SimpleCommand
  | (CompoundBase & { kind: 'subshell' | 'group'; body: List })
  | (CompoundBase & { kind: 'if'; clauses: { cond: List; body: List }[]; elseBody?: List })
  | (CompoundBase & { kind: 'for'; name: string; items?: Word[]; body: List })
  | (CompoundBase & { kind: 'while'; until: boolean; cond: List; body: List });

export interface Pipeline {
  negate: boolean;
  commands: Command[];
  /** `|&` between commands i and i+1 also pipes stderr. */
  pipeStderr: boolean[];
}

export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}

export interface List {
  items: { andOr: AndOr; background: boolean }[];
}

export class ShellSyntaxError extends Error {}
